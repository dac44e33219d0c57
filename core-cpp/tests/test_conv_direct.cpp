// The direct float32 conv2d kernel (kernels/conv_direct, through sgemm_packed_a) against a
// float64 loop over the definition: padding, strides, dilation, groups, strided input, and
// sizes that cross the GEMM's row and K blocks.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "test_data.h"
#include "backend/cpu/conv_direct.h"

using namespace mlx;

namespace {

// Checks conv2d_direct_f32 on g (x laid out with g.x_strides inside a buffer of x_len).
bool conv_matches(Conv2dGeometry g, size_t x_len) {
  int64_t cg = g.in_c / g.groups, og = g.out_c / g.groups;
  std::vector<float> x = lcg_values(x_len, 3), w = lcg_values(size_t(g.out_c * g.kh * g.kw * cg), 5);
  std::vector<float> out(size_t(g.batch * g.out_h * g.out_w * g.out_c), -7.0f);
  conv2d_direct_f32(g, x.data(), w.data(), out.data());
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oy = 0; oy < g.out_h; ++oy)
      for (int64_t ox = 0; ox < g.out_w; ++ox)
        for (int64_t o = 0; o < g.out_c; ++o) {
          int64_t grp = o / og;
          double s = 0, m = 0;
          for (int64_t ky = 0; ky < g.kh; ++ky)
            for (int64_t kx = 0; kx < g.kw; ++kx)
              for (int64_t c = 0; c < cg; ++c) {
                int64_t iy = oy * g.stride[0] - g.padding[0] + ky * g.dilation[0];
                int64_t ix = ox * g.stride[1] - g.padding[1] + kx * g.dilation[1];
                if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
                double xv = x[size_t(n * g.x_strides[0] + iy * g.x_strides[1] + ix * g.x_strides[2] +
                                     (grp * cg + c) * g.x_strides[3])];
                double p = xv * double(w[size_t(((o * g.kh + ky) * g.kw + kx) * cg + c)]);
                s += p;
                m += std::fabs(p);
              }
          double got = out[size_t(((n * g.out_h + oy) * g.out_w + ox) * g.out_c + o)];
          if (std::fabs(got - s) > 1e-6 * (m + 1) * std::sqrt(double(g.kh * g.kw * cg))) return false;
        }
  return true;
}

Conv2dGeometry geometry(int64_t n, int64_t h, int64_t w, int64_t c, int64_t o, int64_t kh, int64_t kw, int64_t s,
                        int64_t p, int64_t d, int64_t groups) {
  Conv2dGeometry g{};
  g.batch = n, g.in_h = h, g.in_w = w, g.in_c = c, g.out_c = o, g.kh = kh, g.kw = kw, g.groups = groups;
  g.x_strides[0] = h * w * c, g.x_strides[1] = w * c, g.x_strides[2] = c, g.x_strides[3] = 1;
  for (int i = 0; i < 2; ++i) g.stride[i] = s, g.padding[i] = p, g.dilation[i] = d;
  g.out_h = (h + 2 * p - d * (kh - 1) - 1) / s + 1;
  g.out_w = (w + 2 * p - d * (kw - 1) - 1) / s + 1;
  return g;
}

}  // namespace

TEST(conv_direct_matches_definition) {
  struct Sz { int64_t n, h, w, c, o, kh, kw, s, p, d, groups; };
  for (Sz z : {Sz{1, 7, 5, 3, 4, 3, 3, 1, 1, 1, 1}, Sz{2, 9, 8, 4, 5, 3, 2, 2, 0, 1, 1}, Sz{1, 10, 9, 2, 3, 3, 3, 1, 2, 2, 1},
               Sz{3, 6, 7, 4, 6, 2, 3, 1, 1, 1, 2}, Sz{1, 4, 4, 3, 2, 1, 1, 1, 2, 1, 1},
               Sz{2, 12, 13, 70, 9, 3, 3, 1, 1, 1, 1}, Sz{1, 5, 5, 6, 9, 2, 2, 2, 1, 1, 3}}) {
    Conv2dGeometry g = geometry(z.n, z.h, z.w, z.c, z.o, z.kh, z.kw, z.s, z.p, z.d, z.groups);
    CHECK(conv_matches(g, size_t(z.n * z.h * z.w * z.c)));
  }
}

TEST(conv_direct_reads_strided_input) {
  // x stored as [N, C, H, W] and read as [N, H, W, C] (channel stride H*W).
  Conv2dGeometry g = geometry(2, 6, 5, 4, 4, 3, 3, 1, 1, 1, 2);
  g.x_strides[0] = 4 * 6 * 5, g.x_strides[1] = 5, g.x_strides[2] = 1, g.x_strides[3] = 6 * 5;
  CHECK(conv_matches(g, size_t(2 * 4 * 6 * 5)));
}

// The direct float32 convolution kernel (backend/cpu/conv_direct, through sgemm_packed_a)
// against a float64 loop over the definition: 2-D (depth 1) and 3-D geometries, padding,
// strides, dilation, groups, strided input, and sizes that cross the GEMM's row and K blocks.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "test_data.h"
#include "backend/cpu/conv_direct.h"

using namespace mlx;

namespace {

// Checks conv_direct_f32 on g (x laid out with g.x_strides inside a buffer of x_len).
bool conv_matches(ConvGeometry g, size_t x_len) {
  int64_t cg = g.in_c / g.groups, og = g.out_c / g.groups, taps = g.k[0] * g.k[1] * g.k[2];
  std::vector<float> x = lcg_values(x_len, 3), w = lcg_values(size_t(g.out_c * taps * cg), 5);
  int64_t pixels = g.out[0] * g.out[1] * g.out[2];
  std::vector<float> out(size_t(g.batch * pixels * g.out_c), -7.0f);
  conv_direct_f32(g, x.data(), w.data(), out.data());
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t px = 0; px < pixels; ++px)
      for (int64_t o = 0; o < g.out_c; ++o) {
        int64_t pos[3] = {px / (g.out[1] * g.out[2]), (px / g.out[2]) % g.out[1], px % g.out[2]};
        int64_t grp = o / og;
        double s = 0, m = 0;
        for (int64_t t = 0; t < taps; ++t) {
          int64_t tap[3] = {t / (g.k[1] * g.k[2]), (t / g.k[2]) % g.k[1], t % g.k[2]};
          int64_t at = n * g.x_strides[0];
          bool inside = true;
          for (int d = 0; d < 3; ++d) {
            int64_t i = pos[d] * g.stride[d] - g.padding[d] + tap[d] * g.dilation[d];
            inside = inside && i >= 0 && i < g.in[d];
            at += i * g.x_strides[d + 1];
          }
          if (!inside) continue;
          for (int64_t c = 0; c < cg; ++c) {
            double p = double(x[size_t(at + (grp * cg + c) * g.x_strides[4])]) * double(w[size_t((o * taps + t) * cg + c)]);
            s += p;
            m += std::fabs(p);
          }
        }
        double got = out[size_t((n * pixels + px) * g.out_c + o)];
        if (std::fabs(got - s) > 1e-6 * (m + 1) * std::sqrt(double(taps * cg))) return false;
      }
  return true;
}

// A row-contiguous [n, dd, h, w, c] input; s, p, dl apply to every spatial axis (the depth
// axis only when dd > 1, so dd = kd = 1 is a 2-D convolution).
ConvGeometry geometry(int64_t n, int64_t dd, int64_t h, int64_t w, int64_t c, int64_t o, int64_t kd, int64_t kh,
                      int64_t kw, int64_t s, int64_t p, int64_t dl, int64_t groups) {
  ConvGeometry g{};
  g.batch = n, g.in_c = c, g.out_c = o, g.groups = groups;
  int64_t in[3] = {dd, h, w}, k[3] = {kd, kh, kw};
  for (int i = 0; i < 3; ++i) {
    bool flat = i == 0 && dd == 1 && kd == 1;
    g.in[i] = in[i], g.k[i] = k[i];
    g.stride[i] = flat ? 1 : s, g.padding[i] = flat ? 0 : p, g.dilation[i] = flat ? 1 : dl;
    g.out[i] = (in[i] + 2 * g.padding[i] - g.dilation[i] * (k[i] - 1) - 1) / g.stride[i] + 1;
  }
  g.x_strides[4] = 1, g.x_strides[3] = c, g.x_strides[2] = w * c, g.x_strides[1] = h * w * c;
  g.x_strides[0] = dd * h * w * c;
  return g;
}

}  // namespace

TEST(conv_direct_matches_definition_2d) {
  struct Sz { int64_t n, h, w, c, o, kh, kw, s, p, d, groups; };
  for (Sz z : {Sz{1, 7, 5, 3, 4, 3, 3, 1, 1, 1, 1}, Sz{2, 9, 8, 4, 5, 3, 2, 2, 0, 1, 1}, Sz{1, 10, 9, 2, 3, 3, 3, 1, 2, 2, 1},
               Sz{3, 6, 7, 4, 6, 2, 3, 1, 1, 1, 2}, Sz{1, 4, 4, 3, 2, 1, 1, 1, 2, 1, 1},
               Sz{2, 12, 13, 70, 9, 3, 3, 1, 1, 1, 1}, Sz{1, 5, 5, 6, 9, 2, 2, 2, 1, 1, 3}}) {
    ConvGeometry g = geometry(z.n, 1, z.h, z.w, z.c, z.o, 1, z.kh, z.kw, z.s, z.p, z.d, z.groups);
    CHECK(conv_matches(g, size_t(z.n * z.h * z.w * z.c)));
  }
}

TEST(conv_direct_matches_definition_3d) {
  struct Sz { int64_t n, dd, h, w, c, o, kd, kh, kw, s, p, dl, groups; };
  for (Sz z : {Sz{1, 5, 6, 4, 3, 4, 3, 3, 2, 1, 1, 1, 1}, Sz{2, 7, 5, 6, 4, 6, 2, 3, 3, 2, 0, 1, 2},
               Sz{1, 8, 7, 7, 2, 3, 3, 2, 3, 1, 2, 2, 1}, Sz{1, 4, 4, 4, 6, 9, 1, 1, 1, 1, 0, 1, 3},
               Sz{2, 6, 6, 5, 40, 7, 3, 3, 3, 1, 1, 1, 1}}) {
    ConvGeometry g = geometry(z.n, z.dd, z.h, z.w, z.c, z.o, z.kd, z.kh, z.kw, z.s, z.p, z.dl, z.groups);
    CHECK(conv_matches(g, size_t(z.n * z.dd * z.h * z.w * z.c)));
  }
}

TEST(conv_direct_reads_strided_input) {
  // x stored as [N, C, D, H, W] and read as [N, D, H, W, C] (channel stride D*H*W).
  ConvGeometry g = geometry(2, 3, 6, 5, 4, 4, 2, 3, 3, 1, 1, 1, 2);
  g.x_strides[0] = 4 * 3 * 6 * 5, g.x_strides[1] = 6 * 5, g.x_strides[2] = 5, g.x_strides[3] = 1;
  g.x_strides[4] = 3 * 6 * 5;
  CHECK(conv_matches(g, size_t(2 * 4 * 3 * 6 * 5)));
}

TEST(conv_direct_asymmetric_padding) {
  // Only the low padding enters the kernel; a larger high padding just adds output rows.
  ConvGeometry g = geometry(1, 4, 5, 6, 3, 2, 2, 2, 3, 1, 0, 1, 1);
  g.padding[0] = 1, g.padding[1] = 0, g.padding[2] = 2;
  g.out[0] = 4 + 1 + 2 - 2 + 1, g.out[1] = 5 + 0 + 1 - 2 + 1, g.out[2] = 6 + 2 + 0 - 3 + 1;
  CHECK(conv_matches(g, size_t(4 * 5 * 6 * 3)));
}

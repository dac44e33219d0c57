#include "conv_direct.h"

#include "matmul_f32.h"

namespace mlx {

namespace {

constexpr int MR = kSgemmPanelRows;

// One group's GEMM: A(i, k) is output pixel i's patch, k = (ky, kx, c) with c fastest (the
// weight's order), read from x or 0 in the padding.
struct PatchPacker {
  const Conv2dGeometry* g;
  const float* x;  // already offset to the group's first channel
  int64_t cg;      // channels per group

  // Packs one output pixel's patch columns [k0, k0+kc) into out[k*MR] (one lane of a panel).
  void pack_row(int64_t i, int64_t k0, int64_t kc, float* out) const {
    const Conv2dGeometry& G = *g;
    int64_t ox = i % G.out_w, t = i / G.out_w;
    int64_t oy = t % G.out_h, n = t / G.out_h;
    int64_t iy0 = oy * G.stride[0] - G.padding[0], ix0 = ox * G.stride[1] - G.padding[1];
    const float* xn = x + n * G.x_strides[0];
    int64_t sc = G.x_strides[3];
    int64_t c = k0 % cg, tap = k0 / cg;
    int64_t kx = tap % G.kw, ky = tap / G.kw;
    int64_t k = 0;
    while (k < kc) {
      int64_t run = cg - c < kc - k ? cg - c : kc - k;
      int64_t iy = iy0 + ky * G.dilation[0], ix = ix0 + kx * G.dilation[1];
      float* o = out + k * MR;
      if (iy >= 0 && iy < G.in_h && ix >= 0 && ix < G.in_w) {
        const float* src = xn + iy * G.x_strides[1] + ix * G.x_strides[2] + c * sc;
        if (sc == 1) {
          for (int64_t j = 0; j < run; ++j) o[j * MR] = src[j];
        } else {
          for (int64_t j = 0; j < run; ++j) o[j * MR] = src[j * sc];
        }
      } else {
        for (int64_t j = 0; j < run; ++j) o[j * MR] = 0.0f;
      }
      k += run;
      c = 0;
      if (++kx == G.kw) {
        kx = 0;
        ++ky;
      }
    }
  }

  static void pack(const void* ctx, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
    const PatchPacker& p = *static_cast<const PatchPacker*>(ctx);
    for (int64_t p0 = 0; p0 < mc; p0 += MR, out += MR * kc) {
      int rows = int(mc - p0 < MR ? mc - p0 : MR);
      for (int r = 0; r < rows; ++r) p.pack_row(i0 + p0 + r, k0, kc, out + r);
      for (int r = rows; r < MR; ++r)
        for (int64_t k = 0; k < kc; ++k) out[k * MR + r] = 0.0f;
    }
  }
};

}  // namespace

// One GEMM per group: [pixels, kh*kw*cg] x [kh*kw*cg, og], B read transposed from the
// weight (row o of the weight is column o of B), C written into the group's channel slice
// of the output (ldc = out_c).
void conv2d_direct_f32(const Conv2dGeometry& g, const float* x, const float* w, float* out) {
  int64_t cg = g.in_c / g.groups, og = g.out_c / g.groups;
  int64_t M = g.batch * g.out_h * g.out_w, K = g.kh * g.kw * cg;
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    PatchPacker packer{&g, x + grp * cg * g.x_strides[3], cg};
    SgemmAPacker a{&PatchPacker::pack, &packer};
    sgemm_packed_a(M, og, K, a, w + grp * og * K, 1, K, out + grp * og, g.out_c);
  }
}

}  // namespace mlx

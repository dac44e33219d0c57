#include "conv_direct.h"

#include "matmul_f32.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace mlx {

namespace {

constexpr int MR = kSgemmPanelRows;

// Copies `run` consecutive patch columns of one panel's MR rows (src[r] = nullptr: a row in
// the padding or past the end, written as zeros) into out[j*MR + r].
inline void copy_run(const float* const* src, int64_t sc, int64_t run, float* out) {
  int64_t j = 0;
#ifdef __wasm_simd128__
  if (sc == 1) {
    // Four columns of the four rows at a time: load a vector per row, transpose 4 x 4 in
    // registers, store four contiguous vectors (instead of 16 scalar strided stores).
    const v128_t zero = wasm_f32x4_const_splat(0.0f);
    for (; j + 4 <= run; j += 4) {
      v128_t v0 = src[0] ? wasm_v128_load(src[0] + j) : zero;
      v128_t v1 = src[1] ? wasm_v128_load(src[1] + j) : zero;
      v128_t v2 = src[2] ? wasm_v128_load(src[2] + j) : zero;
      v128_t v3 = src[3] ? wasm_v128_load(src[3] + j) : zero;
      v128_t t0 = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7);
      v128_t t2 = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
      float* o = out + j * MR;
      wasm_v128_store(o, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
      wasm_v128_store(o + 4, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
      wasm_v128_store(o + 8, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
      wasm_v128_store(o + 12, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
    }
  }
#endif
  for (; j < run; ++j)
    for (int r = 0; r < MR; ++r) out[j * MR + r] = src[r] ? src[r][j * sc] : 0.0f;
}

// One group's GEMM: A(i, k) is output pixel i's patch, k = (kz, ky, kx, c) with c fastest
// (the weight's order), read from x or 0 in the padding.
struct PatchPacker {
  const ConvGeometry* g;
  const float* x;  // already offset to the group's first channel
  int64_t cg;      // channels per group

  static void pack(const void* ctx, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
    const PatchPacker& p = *static_cast<const PatchPacker*>(ctx);
    const ConvGeometry& G = *p.g;
    int64_t cg = p.cg, sc = G.x_strides[4];
    for (int64_t p0 = 0; p0 < mc; p0 += MR, out += MR * kc) {
      // Each row's image and lowest input corner; rows past mc stay absent (zeros).
      const float* base[MR];
      int64_t i0s[MR][3];
      for (int r = 0; r < MR; ++r) {
        base[r] = nullptr;
        i0s[r][0] = i0s[r][1] = i0s[r][2] = 0;
        if (p0 + r >= mc) continue;
        int64_t t = i0 + p0 + r;
        for (int d = 2; d >= 0; --d) {
          i0s[r][d] = (t % G.out[d]) * G.stride[d] - G.padding[d];
          t /= G.out[d];
        }
        base[r] = p.x + t * G.x_strides[0];
      }
      // Walk the columns in runs of channels sharing one kernel tap (the same for all rows).
      int64_t c = k0 % cg, tap = k0 / cg;
      int64_t kx = tap % G.k[2], ky = (tap / G.k[2]) % G.k[1], kz = tap / (G.k[2] * G.k[1]);
      for (int64_t k = 0; k < kc;) {
        int64_t run = cg - c < kc - k ? cg - c : kc - k;
        const float* src[MR];
        for (int r = 0; r < MR; ++r) {
          int64_t iz = i0s[r][0] + kz * G.dilation[0], iy = i0s[r][1] + ky * G.dilation[1],
                  ix = i0s[r][2] + kx * G.dilation[2];
          bool inside = base[r] != nullptr && iz >= 0 && iz < G.in[0] && iy >= 0 && iy < G.in[1] && ix >= 0 &&
                        ix < G.in[2];
          src[r] = inside ? base[r] + iz * G.x_strides[1] + iy * G.x_strides[2] + ix * G.x_strides[3] + c * sc
                          : nullptr;
        }
        copy_run(src, sc, run, out + k * MR);
        k += run;
        c = 0;
        if (++kx == G.k[2]) {
          kx = 0;
          if (++ky == G.k[1]) {
            ky = 0;
            ++kz;
          }
        }
      }
    }
  }
};

}  // namespace

// One GEMM per group: [pixels, kd*kh*kw*cg] x [kd*kh*kw*cg, og], B read transposed from the
// weight (row o of the weight is column o of B), C written into the group's channel slice
// of the output (ldc = out_c).
void conv_direct_f32(const ConvGeometry& g, const float* x, const float* w, float* out) {
  int64_t cg = g.in_c / g.groups, og = g.out_c / g.groups;
  int64_t M = g.batch * g.out[0] * g.out[1] * g.out[2], K = g.k[0] * g.k[1] * g.k[2] * cg;
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    PatchPacker packer{&g, x + grp * cg * g.x_strides[4], cg};
    SgemmAPacker a{&PatchPacker::pack, &packer};
    sgemm_packed_a(M, og, K, a, w + grp * og * K, 1, K, out + grp * og, g.out_c);
  }
}

}  // namespace mlx

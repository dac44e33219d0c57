// Single-precision GEMM on raw pointers: packed panels, a register-blocked micro-kernel
// (wasm SIMD128 when compiled with -msimd128, plain loops otherwise) and cache blocking.
#pragma once

#include <cstdint>

namespace mlx {

// c[i*N + j] = sum_k A(i, k) * B(k, j) for an M x N row-contiguous c, where
// A(i, k) = a[i*a_rs + k*a_cs] and B(k, j) = b[k*b_rs + j*b_cs]. Any strides work
// (transposed operands cost nothing extra: they are read through the packing).
void sgemm(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
           int64_t b_rs, int64_t b_cs, float* c);

// Rows per packed panel of A (the micro-kernel's register tile height).
constexpr int kSgemmPanelRows = 4;

// A hook for operands that are not a strided matrix (the direct convolution packs its
// input patches here instead of materialising an im2col). `pack` writes rows [i0, i0+mc)
// x cols [k0, k0+kc) of the virtual A as panels of kSgemmPanelRows rows, k-major inside a
// panel: out[(p*kc + k) * kSgemmPanelRows + r] = A(i0 + p*kSgemmPanelRows + r, k0 + k),
// and 0 for rows past mc. It runs on pool threads: it must not allocate or throw.
struct SgemmAPacker {
  void (*pack)(const void* ctx, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out);
  const void* ctx;
};

// c[i*ldc + j] = sum_k A(i, k) * B(k, j), A supplied by `a`; otherwise as sgemm.
void sgemm_packed_a(int64_t M, int64_t N, int64_t K, const SgemmAPacker& a, const float* b, int64_t b_rs,
                    int64_t b_cs, float* c, int64_t ldc);

// Columns per packed panel of B and the K block the packer is asked for at most.
constexpr int kSgemmPanelCols = 8;
constexpr int64_t kSgemmDepthBlock = 512;

// The same for B (the quantized matmul decodes its weights here, a panel at a time, instead
// of dequantizing the whole matrix): `pack` writes rows [k0, k0+kc) x cols [j0, j0+nc) of
// the virtual B as panels of kSgemmPanelCols columns, k-major inside a panel:
// out[(p*kc + k) * kSgemmPanelCols + j] = B(k0 + k, j0 + p*kSgemmPanelCols + j), and 0 for
// columns past nc. k0 is a multiple of kSgemmDepthBlock, j0 of kSgemmPanelCols. It runs on
// pool threads: it must not allocate or throw.
struct SgemmBPacker {
  void (*pack)(const void* ctx, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out);
  const void* ctx;
};

// c[i*ldc + j] = sum_k A(i, k) * B(k, j), B supplied by `b`; otherwise as sgemm.
void sgemm_packed_b(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs,
                    const SgemmBPacker& b, float* c, int64_t ldc);

}  // namespace mlx

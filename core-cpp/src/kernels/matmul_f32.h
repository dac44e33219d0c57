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

}  // namespace mlx

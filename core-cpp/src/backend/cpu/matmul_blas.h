// Matmul through the system CBLAS (OpenBLAS) when the build found one (MLX_HAVE_CBLAS,
// set by the native addon's binding.gyp); a stub returning false everywhere else (wasm,
// the C++ unit tests), so the core's own GEMM runs.
#pragma once

#include "array.h"

namespace mlx {

// Computes out = a @ b for float32/float64 into out's (already allocated, row-contiguous)
// buffer and returns true, or returns false (nothing written) when BLAS is not compiled in
// or the dtype is not float32/float64.
bool matmul_blas(const array& a, const array& b, array& out);

// Whether sgemm_blas runs (BLAS compiled in).
bool sgemm_blas_available();

// c[i*ldc + j] = sum_k a[i*lda + k] * B(k, j) with B(k, j) = b[k*ldb + j], or b[j*ldb + k]
// when b_transposed; returns false (nothing written) without BLAS or when a dimension does
// not fit BLAS's int.
bool sgemm_blas(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* b, int64_t ldb,
                bool b_transposed, float* c, int64_t ldc);

}  // namespace mlx

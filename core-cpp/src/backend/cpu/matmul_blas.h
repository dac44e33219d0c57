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

}  // namespace mlx

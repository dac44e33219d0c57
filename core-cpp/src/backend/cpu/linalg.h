// CPU kernels of the linalg family: batched inverse and Cholesky factorisation of square
// float32/float64 matrices (the last two axes), computed in double.
#pragma once

#include "array.h"

namespace mlx {

// out = a^-1 per matrix; throws "[linalg::inv] ..." for a singular matrix.
void inv_eval(const array& a, array& out);
// out = L with a = L L^T (lower, zeros above); throws "[linalg::cholesky] ..." unless a is
// positive definite. Only the lower triangle of `a` is read.
void cholesky_eval(const array& a, array& out);

}  // namespace mlx

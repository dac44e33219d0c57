// The linalg family's C++ ops: inverse, solve and Cholesky of float32/float64 matrices in
// the last two axes (batched over the leading ones).
#pragma once

#include "array.h"

namespace mlx {

array linalg_inv(const array& a);
// x with a x = b; b is a vector ([..., n]: one fewer axis than a) or a matrix ([..., n, k]).
array linalg_solve(const array& a, const array& b);
// The lower (or, with `upper`, upper) Cholesky factor of a symmetric positive-definite a.
array linalg_cholesky(const array& a, bool upper = false);

}  // namespace mlx

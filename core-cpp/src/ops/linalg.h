// The linalg family's ops on float32/float64 matrices in the last two axes (batched over
// the leading ones): inverse, solve, Cholesky and the decompositions (mx.linalg.qr,
// mx.linalg.svd); and matmul, which broadcasts the batch axes and accepts vectors.
#pragma once

#include <vector>

#include "array.h"

namespace mlx {

array linalg_inv(const array& a);
// x with a x = b; b is a vector ([..., n]: one fewer axis than a) or a matrix ([..., n, k]).
array linalg_solve(const array& a, const array& b);
// The lower (or, with `upper`, upper) Cholesky factor of a symmetric positive-definite a.
array linalg_cholesky(const array& a, bool upper = false);

// ---- matrix product -----------------------------------------------------------------
array matmul(const array& a, const array& b);

// {q [..., m, k], r [..., k, n]} with k = min(m, n) and a = q r.
std::vector<array> linalg_qr(const array& a);
// compute_uv: {u [..., m, m], s [..., k], vt [..., n, n]}; otherwise {s}.
std::vector<array> linalg_svd(const array& a, bool compute_uv = true);

}  // namespace mlx

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

// ---- the rest of mx.linalg (MLX's semantics and errors) -------------------------------
// The inverse of a triangular matrix; only the lower (or upper) triangle is read.
array linalg_tri_inv(const array& a, bool upper = false);
// (L L^T)^-1 (or (U^T U)^-1) from the Cholesky factor L (or U).
array linalg_cholesky_inv(const array& l, bool upper = false);
// x with a x = b for triangular a (as tri_inv(a) @ b; b is [..., n] when 1-D, else [..., n, k]).
array linalg_solve_triangular(const array& a, const array& b, bool upper = false);
// The Moore-Penrose pseudo-inverse [..., n, m] from the SVD (singular values under
// 10 max(m, n) eps * s_max count as zero).
array linalg_pinv(const array& a);
// The cross product of 2- or 3-vectors along `axis` (2-vectors have z = 0); broadcasts.
array linalg_cross(const array& a, const array& b, int axis = -1);
// LUF's three outputs {lu, pivots, row_indices} (see backend/cpu/linalg.h).
std::vector<array> linalg_luf(const array& a);
// {lu [..., m, n], pivots [..., min(m, n)] uint32}: mx.linalg.lu_factor.
std::vector<array> linalg_lu_factor(const array& a);
// {P [..., m] uint32, L [..., m, k] (unit lower), U [..., k, n]} with a = L[P] @ U.
std::vector<array> linalg_lu(const array& a);
// The determinant; integer inputs compute in float32 (NumPy's result; MLX's definition).
array linalg_det(const array& a);
// {sign, log|det|}; a singular matrix gives {0, -inf}.
std::vector<array> linalg_slogdet(const array& a);
// {w [..., n] ascending, v [..., n, n]} of the symmetric matrix of a's lower (upper) triangle.
std::vector<array> linalg_eigh(const array& a, bool upper = false);
array linalg_eigvalsh(const array& a, bool upper = false);
// {w [..., n], v [..., n, n]} (complex64) of a real square a: a v[:, i] = w[i] v[:, i]
// (backend/cpu/eig.h: LAPACK geev's ordering and normalisation).
std::vector<array> linalg_eig(const array& a);
array linalg_eigvals(const array& a);

}  // namespace mlx

// CPU kernels of the matrix decompositions: Householder QR, the SVD (one-sided Jacobi) and
// the symmetric eigendecomposition (cyclic Jacobi),
// batched over the leading axes of float32/float64 arrays, computed in double.
#pragma once

#include "array.h"

namespace mlx {

// a [..., m, n] -> q [..., m, k], r [..., k, n] with k = min(m, n) and a = q r; the
// Householder reflectors follow LAPACK's sign convention (as NumPy's qr).
void qr_eval(const array& a, array& q, array& r);

// a [..., m, n] -> s [..., k] (descending) and, when u and vt are given, u [..., m, m] and
// vt [..., n, n] (full, orthogonal) with a = u[:, :k] diag(s) vt[:k, :].
void svd_eval(const array& a, array* u, array& s, array* vt);

// The eigenvalues w [..., n] (ascending) and, when v is given, the eigenvectors v [..., n, n]
// (column i for w[i], orthonormal) of the symmetric matrix whose lower (or, with `upper`,
// upper) triangle is that of a; the other triangle is not read. Sign convention: in each
// eigenvector the entry of largest magnitude (the first of equal ones) is positive.
void eigh_eval(const array& a, array& w, array* v, bool upper);

}  // namespace mlx

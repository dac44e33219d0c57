// The general (non-symmetric) real eigendecomposition kernel behind mx.linalg.eig/eigvals:
// Householder reduction to Hessenberg form, then Francis double-shift QR iterations to the
// real Schur form (accumulating the transformations), then back-substitution for the
// eigenvectors of the quasi-triangular factor, all in double precision (LAPACK geev's
// method, without its balancing step).
#pragma once

#include "array.h"

namespace mlx {

// a [..., n, n] float32/float64 -> w [..., n] complex64 and, when v is given, v [..., n, n]
// complex64 (column i for w[i]). Conjugate pairs come positive imaginary part first; each
// eigenvector has unit 2-norm and, as LAPACK's geev makes it, its largest component real
// (its sign that of the component's real part). An "[linalg::eig]" error if the iteration
// does not converge.
void eig_eval(const array& a, array& w, array* v);

}  // namespace mlx

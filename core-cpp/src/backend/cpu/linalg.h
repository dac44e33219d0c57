// CPU kernels of the linalg family: batched inverse (general or triangular), Cholesky and LU
// factorisation of float32/float64 matrices (the last two axes), computed in double.
#pragma once

#include "array.h"

namespace mlx {

// out = a^-1 per matrix; throws "[linalg::inv] ..." for a singular matrix.
void inv_eval(const array& a, array& out);
// out = L with a = L L^T (lower, zeros above); throws "[linalg::cholesky] ..." unless a is
// positive definite. Only the lower triangle of `a` is read.
void cholesky_eval(const array& a, array& out);
// out = a^-1 for triangular a: only the lower (or, with `upper`, upper) triangle is read and
// the other triangle of out is zero; throws "[linalg::tri_inv] ..." for a zero diagonal.
void tri_inv_eval(const array& a, array& out, bool upper);
// LU factorisation with partial pivoting (LAPACK getrf's result) of each m x n matrix:
// lu holds L below the diagonal (unit diagonal implied) and U on and above it; pivots
// [..., min(m, n)] (uint32, 0-based) says row j was swapped with row pivots[j] at step j;
// row_indices [..., m] (uint32) is the permutation P with a = L[P] @ U. A singular matrix
// factors too (a zero on U's diagonal).
void luf_eval(const array& a, array& lu, array& pivots, array& row_indices);

}  // namespace mlx

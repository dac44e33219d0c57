#include "primitives_linalg.h"

#include "transforms/vmap.h"

#include "backend/cpu/linalg.h"
#include "ops.h"
#include "ops_creation.h"
#include "ops_linalg.h"
#include "ops_shape.h"

namespace mlx {

namespace {

array mT(const array& x) { return swapaxes(x, -1, -2); }

// Phi(X): the lower triangle of X with its diagonal halved (the Cholesky derivative's projection).
array phi(const array& x) {
  int n = x.shape(-1);
  array half = astype(subtract(tri(n, n, 0, Dtype::float64), multiply(eye(n, n, 0, Dtype::float64), array::scalar(0.5, Dtype::float64))), x.dtype());
  return multiply(x, half);
}

}  // namespace

void Inverse::eval(const std::vector<array>& in, array& out) { inv_eval(in[0], out); }

// d(A^-1) = -A^-1 dA A^-1, so the cotangent of A is -A^-T G A^-T.
std::vector<array> Inverse::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                const std::vector<array>& outputs) {
  array it = mT(outputs[0]);
  return {negative(matmul(matmul(it, cot[0]), it))};
}

std::vector<array> Inverse::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  array ai = linalg_inv(primals[0]);
  return {negative(matmul(matmul(ai, tan[0]), ai))};
}

void Cholesky::eval(const std::vector<array>& in, array& out) { cholesky_eval(in[0], out); }

// For A = L L^T (A symmetric): S = L^-T Phi(L^T Lbar) L^-1 and Abar = (S + S^T) / 2.
std::vector<array> Cholesky::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                 const std::vector<array>& outputs) {
  const array& l = outputs[0];
  array li = linalg_inv(l);
  array s = matmul(matmul(mT(li), phi(matmul(mT(l), cot[0]))), li);
  return {multiply(add(s, mT(s)), array::scalar(0.5, s.dtype()))};
}

// dL = L Phi(L^-1 dA L^-T).
std::vector<array> Cholesky::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  array l = linalg_cholesky(primals[0]);
  array li = linalg_inv(l);
  return {matmul(l, phi(matmul(matmul(li, tan[0]), mT(li))))};
}

std::pair<std::vector<array>, std::vector<int>> Inverse::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  return {{linalg_inv(vmap_util::move_axis(in[0], axes[0], 0))}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> Cholesky::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  return {{linalg_cholesky(vmap_util::move_axis(in[0], axes[0], 0), false)}, {0}};
}

}  // namespace mlx

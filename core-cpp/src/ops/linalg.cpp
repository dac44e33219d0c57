#include "ops/linalg.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "ops/creation.h"
#include "ops/compare.h"
#include "ops/reduce.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "primitives/linalg.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

void check_square(const array& a, const char* op) {
  if (a.dtype() != Dtype::float32 && a.dtype() != Dtype::float64) {
    fail(op, std::string("Arrays must have type float32 or float64. Received array with type ") + dtype_name(a.dtype()) + ".");
  }
  if (a.ndim() < 2) {
    fail(op, "Arrays must have >= 2 dimensions. Received array with " + std::to_string(a.ndim()) + " dimensions.");
  }
  if (a.shape(-1) != a.shape(-2)) {
    fail(op, "Expected square matrices in the last two axes. Received array with shape " + shape_string(a.shape()) + ".");
  }
}

}  // namespace

array linalg_inv(const array& a) {
  check_square(a, "linalg::inv");
  return array(a.shape(), a.dtype(), std::make_shared<Inverse>(), {a});
}

array linalg_solve(const array& a, const array& b) {
  const char* op = "linalg::solve";
  if (b.dtype() != Dtype::float32 && b.dtype() != Dtype::float64) {
    fail(op, std::string("Arrays must have type float32 or float64. Received array with type ") + dtype_name(b.dtype()) + ".");
  }
  if (a.ndim() < 2) fail(op, "First input must have >= 2 dimensions. Received array with " + std::to_string(a.ndim()) + " dimensions.");
  if (a.shape(-1) != a.shape(-2)) fail(op, "First input must be a square matrix. Received array with shape " + shape_string(a.shape()) + ".");
  if (b.ndim() < 1) fail(op, "Second input must have >= 1 dimensions. Received array with 0 dimensions.");
  Dtype t = promote_types(a.dtype(), b.dtype());
  // x = a^-1 b: gradients come from Inverse and matmul.
  array ai = linalg_inv(astype(a, t));
  bool vector = b.ndim() == 1 || b.ndim() == a.ndim() - 1;
  int rows = vector ? b.shape(-1) : b.shape(-2);
  if (rows != a.shape(-1)) {
    fail(op, "Last dimension of first input with shape " + shape_string(a.shape()) + " must match the rows of the second input with shape " + shape_string(b.shape()) + ".");
  }
  if (!vector) return matmul(ai, astype(b, t));
  return squeeze(matmul(ai, expand_dims(astype(b, t), {-1})), std::vector<int>{-1});
}

array linalg_cholesky(const array& a, bool upper) {
  check_square(a, "linalg::cholesky");
  array l(a.shape(), a.dtype(), std::make_shared<Cholesky>(), {a});
  return upper ? swapaxes(l, -1, -2) : l;
}

// ---- matrix product -----------------------------------------------------------------

array matmul(const array& a_in, const array& b_in) {
  if (a_in.ndim() == 0 || b_in.ndim() == 0) fail("matmul", "Got 0 dimension input. Inputs must have at least one dimension.");
  Dtype t = promote_types(a_in.dtype(), b_in.dtype());
  if (is_complex(t)) {
    // complex64 (MLX's matmul takes every inexact type): the plain GEMM of backend/cpu/matmul.
  } else if (!is_floating(t)) {
    fail("matmul", std::string("Only real floating point types are supported but ") + dtype_name(a_in.dtype()) +
                       " and " + dtype_name(b_in.dtype()) + " were provided which results in " + dtype_name(t) +
                       ", which is not a real floating point type.");
  }
  // Vectors become matrices (a row for `a`, a column for `b`) and lose that axis after.
  array a = a_in.ndim() == 1 ? reshape(a_in, {1, a_in.shape(0)}) : a_in;
  array b = b_in.ndim() == 1 ? reshape(b_in, {b_in.shape(0), 1}) : b_in;
  if (a.shape(-1) != b.shape(-2)) {
    fail("matmul", "Last dimension of first input with shape " + shape_string(a.shape()) +
                       " must match second to last dimension of second input with shape " +
                       shape_string(b.shape()) + ".");
  }
  Shape a_batch(a.shape().begin(), a.shape().end() - 2);
  Shape b_batch(b.shape().begin(), b.shape().end() - 2);
  Shape batch = broadcast_shapes(a_batch, b_batch, "matmul");
  Shape a_shape = batch, b_shape = batch, out_shape = batch;
  a_shape.insert(a_shape.end(), {a.shape(-2), a.shape(-1)});
  b_shape.insert(b_shape.end(), {b.shape(-2), b.shape(-1)});
  out_shape.insert(out_shape.end(), {a.shape(-2), b.shape(-1)});
  a = broadcast_to(astype(a, t), a_shape);
  b = broadcast_to(astype(b, t), b_shape);
  array out(out_shape, t, std::make_shared<Matmul>(), {a, b});
  if (a_in.ndim() == 1 || b_in.ndim() == 1) {
    Shape s = batch;
    if (a_in.ndim() != 1) s.push_back(a.shape(-2));
    if (b_in.ndim() != 1) s.push_back(b.shape(-1));
    out = reshape(out, s);
  }
  return out;
}


namespace {

void check_matrix(const array& a, const char* op) {
  if (a.dtype() != Dtype::float32 && a.dtype() != Dtype::float64) {
    throw std::invalid_argument(std::string("[") + op + "] Arrays must have type float32 or float64. Received array with type " +
                                dtype_name(a.dtype()) + ".");
  }
  if (a.ndim() < 2) {
    throw std::invalid_argument(std::string("[") + op + "] Arrays must have >= 2 dimensions. Received array with " +
                                std::to_string(a.ndim()) + " dimensions.");
  }
}

}  // namespace

std::vector<array> linalg_qr(const array& a) {
  check_matrix(a, "linalg::qr");
  int m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  Shape qs = a.shape(), rs = a.shape();
  qs.back() = k;
  rs[rs.size() - 2] = k;
  return array::make_arrays({qs, rs}, {a.dtype(), a.dtype()}, std::make_shared<QRF>(), {a});
}

std::vector<array> linalg_svd(const array& a, bool compute_uv) {
  check_matrix(a, "linalg::svd");
  int m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  Shape batch(a.shape().begin(), a.shape().end() - 2);
  Shape us = batch, ss = batch, vs = batch;
  us.insert(us.end(), {m, m});
  ss.push_back(k);
  vs.insert(vs.end(), {n, n});
  auto prim = std::make_shared<SVD>(compute_uv);
  if (!compute_uv) return {array(ss, a.dtype(), prim, {a})};
  return array::make_arrays({us, ss, vs}, {a.dtype(), a.dtype(), a.dtype()}, prim, {a});
}

// ---- the rest of mx.linalg ----------------------------------------------------------

namespace {

void check_float(const array& a, const std::string& op) {
  if (a.dtype() != Dtype::float32 && a.dtype() != Dtype::float64) {
    fail(op.c_str(), std::string("Arrays must have type float32 or float64. Received array with type ") +
                         dtype_name(a.dtype()) + ".");
  }
}

void check_rank(const array& a, const std::string& op) {
  if (a.ndim() < 2) {
    fail(op.c_str(), "Arrays must have >= 2 dimensions. Received array with " + std::to_string(a.ndim()) + " dimensions.");
  }
}

// Float dtypes stay; integers and bool compute in float32.
Dtype at_least_float(Dtype t) { return is_floating(t) ? t : promote_types(t, Dtype::float32); }

array elem(const array& a, int i, int j) {
  array r = slice_axis(slice_axis(a, a.ndim() - 2, i, i + 1), a.ndim() - 1, j, j + 1);
  return squeeze(r, std::vector<int>{-2, -1});
}

// The determinant of an n x n matrix, n <= 3, by its closed form (differentiable).
array det_small(const array& a) {
  int n = a.shape(-1);
  if (n == 0) return broadcast_to(array::scalar(1.0, a.dtype()), Shape(a.shape().begin(), a.shape().end() - 2));
  if (n == 1) return elem(a, 0, 0);
  auto e = [&](int i, int j) { return elem(a, i, j); };
  if (n == 2) return subtract(multiply(e(0, 0), e(1, 1)), multiply(e(0, 1), e(1, 0)));
  array c0 = subtract(multiply(e(1, 1), e(2, 2)), multiply(e(1, 2), e(2, 1)));
  array c1 = subtract(multiply(e(1, 0), e(2, 2)), multiply(e(1, 2), e(2, 0)));
  array c2 = subtract(multiply(e(1, 0), e(2, 1)), multiply(e(1, 1), e(2, 0)));
  return add(subtract(multiply(e(0, 0), c0), multiply(e(0, 1), c1)), multiply(e(0, 2), c2));
}

void check_det(const array& a, const char* op) {
  check_rank(a, op);
  if (a.shape(-1) != a.shape(-2)) fail(op, "Only defined for square matrices.");
}

// sign and log|det| of float matrices: closed forms up to 3 x 3, else from the LU factors
// (sign: the parity of the row swaps and of the negative pivots; a zero pivot: 0, -inf).
std::vector<array> slogdet_float(const array& a) {
  int n = a.shape(-1);
  Dtype t = a.dtype();
  if (n <= 3) {
    array d = det_small(a);
    return {sign(d), log(abs(d))};
  }
  auto lp = linalg_lu_factor(a);
  array diag = diagonal(lp[0], 0, -2, -1);
  array swaps = sum(astype(not_equal(lp[1], arange(0, n, 1, Dtype::uint32)), Dtype::int32), std::vector<int>{-1});
  array negs = sum(astype(less(diag, array::scalar(0.0, t)), Dtype::int32), std::vector<int>{-1});
  array odd = remainder(add(swaps, negs), array::scalar(2, Dtype::int32));
  array sgn = astype(subtract(array::scalar(1, Dtype::int32), multiply(array::scalar(2, Dtype::int32), odd)), t);
  array logabs = sum(log(abs(diag)), std::vector<int>{-1});
  array zero = any(equal(diag, array::scalar(0.0, t)), std::vector<int>{-1});
  return {where(zero, array::scalar(0.0, t), sgn), where(zero, array::scalar(-INFINITY, t), logabs)};
}

}  // namespace

array linalg_tri_inv(const array& a, bool upper) {
  const char* op = "linalg::tri_inv";
  check_float(a, op);
  check_rank(a, op);
  if (a.shape(-1) != a.shape(-2)) fail(op, "Inverses are only defined for square matrices.");
  return array(a.shape(), a.dtype(), std::make_shared<Inverse>(true, upper), {a});
}

array linalg_cholesky_inv(const array& l, bool upper) {
  const char* op = "linalg::cholesky_inv";
  check_float(l, op);
  check_rank(l, op);
  if (l.shape(-1) != l.shape(-2)) fail(op, "Cholesky inverse is only defined for square matrices.");
  array li = linalg_tri_inv(l, upper);
  // A = L L^T: A^-1 = L^-T L^-1; A = U^T U: A^-1 = U^-1 U^-T.
  return upper ? matmul(li, swapaxes(li, -1, -2)) : matmul(swapaxes(li, -1, -2), li);
}

array linalg_solve_triangular(const array& a, const array& b, bool upper) {
  const char* op = "linalg::solve_triangular";
  if (a.ndim() < 2) fail(op, "First input must have >= 2 dimensions. Received array with " + std::to_string(a.ndim()) + " dimensions.");
  if (b.ndim() < 1) fail(op, "Second input must have >= 1 dimensions. Received array with 0 dimensions.");
  if (a.shape(-1) != a.shape(-2)) fail(op, "First input must be a square matrix. Received array with shape " + shape_string(a.shape()) + ".");
  int rows = b.ndim() > 1 ? b.shape(-2) : b.shape(-1);
  if (a.shape(-1) != rows) {
    fail(op, "Last dimension of first input with shape " + shape_string(a.shape()) +
                 " must match second to last dimension of second input with shape " + shape_string(b.shape()) + ".");
  }
  Dtype t = promote_types(a.dtype(), b.dtype());
  if (t != Dtype::float32 && t != Dtype::float64) {
    fail(op, std::string("Input arrays must promote to float32 or float64. Received arrays with type ") +
                 dtype_name(a.dtype()) + " and " + dtype_name(b.dtype()) + ".");
  }
  return matmul(linalg_tri_inv(astype(a, t), upper), astype(b, t));
}

array linalg_pinv(const array& a) {
  const char* op = "linalg::pinv";
  check_float(a, op);
  check_rank(a, op);
  int m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  auto usv = linalg_svd(a, true);
  // pinv = V_k diag(1/s) U_k^T over the singular values above the cutoff.
  array u = swapaxes(slice_axis(usv[0], a.ndim() - 1, 0, k), -1, -2);
  array v = swapaxes(slice_axis(usv[2], a.ndim() - 2, 0, k), -1, -2);
  array s = expand_dims(usv[1], {-2});
  double eps = a.dtype() == Dtype::float32 ? 1.1920928955078125e-07 : 2.220446049250313e-16;
  double rcond = 10.0 * std::max(m, n) * eps;
  array cutoff = multiply(array::scalar(rcond, a.dtype()), max(s, std::vector<int>{-1}, true));
  array rs = where(greater(s, cutoff), reciprocal(s), array::scalar(0.0, a.dtype()));
  return matmul(multiply(v, rs), u);
}

array linalg_cross(const array& a, const array& b, int axis) {
  const char* op = "linalg::cross";
  for (const array* x : {&a, &b}) {
    int nd = x->ndim();
    if (axis >= nd || axis + nd < 0) fail(op, "axis " + std::to_string(axis) + " invalid for array with " + std::to_string(nd) + " dimensions.");
    int d = x->shape(axis < 0 ? axis + nd : axis);
    if (d < 2 || d > 3) fail(op, "The specified axis must have size 2 or 3.");
  }
  int ax_a = axis < 0 ? axis + a.ndim() : axis, ax_b = axis < 0 ? axis + b.ndim() : axis;
  bool a2 = a.shape(ax_a) == 2, b2 = b.shape(ax_b) == 2;
  Dtype t = promote_types(a.dtype(), b.dtype());
  Shape as = a.shape(), bs = b.shape();
  as[ax_a] = 3;
  bs[ax_b] = 3;
  Shape out = broadcast_shapes(as, bs, op);
  int ax = axis < 0 ? axis + int(out.size()) : axis;
  out[ax] = a2 ? 2 : 3;
  auto x = split(broadcast_to(astype(a, t), out), a2 ? 2 : 3, ax);
  out[ax] = b2 ? 2 : 3;
  auto y = split(broadcast_to(astype(b, t), out), b2 ? 2 : 3, ax);
  // A 2-vector's z component is zero, so its terms drop out.
  std::vector<array> parts;
  if (a2 && b2) {
    array z = zeros_like(x[0]);
    parts = {z, z};
  } else if (b2) {
    parts = {negative(multiply(x[2], y[1])), multiply(x[2], y[0])};
  } else if (a2) {
    parts = {multiply(x[1], y[2]), negative(multiply(x[0], y[2]))};
  } else {
    parts = {subtract(multiply(x[1], y[2]), multiply(x[2], y[1])), subtract(multiply(x[2], y[0]), multiply(x[0], y[2]))};
  }
  parts.push_back(subtract(multiply(x[0], y[1]), multiply(x[1], y[0])));
  return concatenate(parts, ax);
}

std::vector<array> linalg_luf(const array& a) {
  int m = a.shape(-2), n = a.shape(-1);
  Shape piv(a.shape().begin(), a.shape().end() - 2), rows(a.shape().begin(), a.shape().end() - 1);
  piv.push_back(std::min(m, n));
  return array::make_arrays({a.shape(), piv, rows}, {a.dtype(), Dtype::uint32, Dtype::uint32}, std::make_shared<LUF>(), {a});
}

std::vector<array> linalg_lu_factor(const array& a) {
  check_float(a, "linalg::lu_factor");
  check_rank(a, "linalg::lu_factor");
  auto out = linalg_luf(a);
  return {out[0], out[1]};
}

std::vector<array> linalg_lu(const array& a) {
  check_float(a, "linalg::lu");
  check_rank(a, "linalg::lu");
  auto out = linalg_luf(a);
  int m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  array l = tril(out[0], -1), u = triu(out[0], 0);
  if (n != k) l = slice_axis(l, l.ndim() - 1, 0, k);
  if (m != k) u = slice_axis(u, u.ndim() - 2, 0, k);
  return {out[2], add(l, eye(m, k, 0, a.dtype())), u};
}

std::vector<array> linalg_slogdet(const array& a) {
  check_det(a, "linalg::slogdet");
  return slogdet_float(astype(a, at_least_float(a.dtype())));
}

array linalg_det(const array& a) {
  check_det(a, "linalg::det");
  array x = astype(a, at_least_float(a.dtype()));
  if (x.shape(-1) <= 3) return det_small(x);
  auto sl = slogdet_float(x);
  return multiply(sl[0], exp(sl[1]));
}

namespace {

void check_eig(const array& a, const char* op) {
  check_float(a, op);
  check_rank(a, op);
  if (a.shape(-1) != a.shape(-2)) fail(op, "Only defined for square matrices.");
}

}  // namespace

std::vector<array> linalg_eigh(const array& a, bool upper) {
  check_eig(a, "linalg::eigh");
  Shape ws(a.shape().begin(), a.shape().end() - 1);
  return array::make_arrays({ws, a.shape()}, {a.dtype(), a.dtype()}, std::make_shared<Eigh>(upper, true), {a});
}

array linalg_eigvalsh(const array& a, bool upper) {
  check_eig(a, "linalg::eigvalsh");
  Shape ws(a.shape().begin(), a.shape().end() - 1);
  return array(ws, a.dtype(), std::make_shared<Eigh>(upper, false), {a});
}

std::vector<array> linalg_eig(const array& a) {
  check_eig(a, "linalg::eig");
  Shape ws(a.shape().begin(), a.shape().end() - 1);
  return array::make_arrays({ws, a.shape()}, {Dtype::complex64, Dtype::complex64}, std::make_shared<Eig>(true), {a});
}

array linalg_eigvals(const array& a) {
  check_eig(a, "linalg::eigvals");
  Shape ws(a.shape().begin(), a.shape().end() - 1);
  return array(std::move(ws), Dtype::complex64, std::make_shared<Eig>(false), {a});
}

}  // namespace mlx

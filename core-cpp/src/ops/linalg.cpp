#include "ops/linalg.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/shape.h"
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

}  // namespace mlx

#include "ops_linalg.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops_shape.h"
#include "primitives_linalg.h"

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

}  // namespace mlx

#include "ops_decomp.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives_decomp.h"

namespace mlx {

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

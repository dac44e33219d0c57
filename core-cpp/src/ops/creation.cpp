#include "ops/creation.h"

#include <cmath>
#include <stdexcept>

#include "ops.h"
#include "primitives/creation.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

array pattern(const char* op, bool is_eye, int n, int m, int k, Dtype dtype) {
  if (n < 0 || m < 0) fail(op, "N and M must be non-negative integers.");
  return array({n, m}, dtype, std::make_shared<TriPattern>(is_eye, k), {});
}

array tri_mask(const array& x, int k, bool upper, const char* op) {
  if (x.ndim() < 2) fail(op, "array must be at least 2-D");
  return array(x.shape(), x.dtype(), std::make_shared<TriMask>(upper, k), {x});
}

}  // namespace

array linspace(double start, double stop, int num, Dtype dtype) {
  if (num < 0) fail("linspace", "number of samples, " + std::to_string(num) + ", must be non-negative.");
  if (!std::isfinite(start) || !std::isfinite(stop)) fail("linspace", "start and stop must be finite.");
  if (dtype == Dtype::bool_) fail("linspace", "Cannot make a linspace of bool dtype.");
  return array({num}, dtype, std::make_shared<Linspace>(start, stop), {});
}

array eye(int n, int m, int k, Dtype dtype) { return pattern("eye", true, n, m, k, dtype); }
array identity(int n, Dtype dtype) {
  if (n < 0) fail("identity", "N must be a non-negative integer.");
  return eye(n, n, 0, dtype);
}
array tri(int n, int m, int k, Dtype dtype) { return pattern("tri", false, n, m, k, dtype); }
array tril(const array& x, int k) { return tri_mask(x, k, false, "tril"); }
array triu(const array& x, int k) { return tri_mask(x, k, true, "triu"); }

std::vector<array> meshgrid(const std::vector<array>& arrays, bool sparse, const std::string& indexing) {
  if (indexing != "xy" && indexing != "ij") {
    fail("meshgrid", "Invalid indexing value. Valid values are 'xy' and 'ij'.");
  }
  const size_t nd = arrays.size();
  std::vector<array> out;
  for (size_t i = 0; i < nd; ++i) {
    Shape s(nd, 1);
    s[i] = static_cast<int32_t>(arrays[i].size());
    // "xy" swaps the roles of the first two axes (Cartesian indexing).
    if (indexing == "xy" && nd > 1 && i < 2) std::swap(s[0], s[1]);
    out.push_back(reshape(arrays[i], s));
  }
  if (!sparse && nd > 0) {
    Shape common = out[0].shape();
    for (auto& a : out) common = broadcast_shapes(common, a.shape(), "meshgrid");
    for (auto& a : out) a = broadcast_to(a, common);
  }
  return out;
}

// ---- ranges and filled arrays -------------------------------------------------------

array arange(double start, double stop, double step, Dtype dtype) {
  if (step == 0) fail("arange", "Cannot compute length with step of 0.");
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step)) {
    fail("arange", "Cannot compute length with non-finite start, stop or step.");
  }
  if (dtype == Dtype::bool_) fail("arange", "Cannot make an arange of bool dtype.");
  double len = std::ceil((stop - start) / step);
  if (len > 2147483647.0) fail("arange", "Maximum size exceeded.");
  int32_t n = len > 0 ? static_cast<int32_t>(len) : 0;
  return array({n}, dtype, std::make_shared<Arange>(start, step), {});
}

array full(Shape shape, const array& value, Dtype dtype) {
  for (auto d : shape) {
    if (d < 0) fail("full", "Negative dimensions are not allowed.");
  }
  return broadcast_to(astype(value, dtype), shape);
}
array full(Shape shape, const array& value) { return full(std::move(shape), value, value.dtype()); }
array zeros(Shape shape, Dtype dtype) { return full(std::move(shape), array::scalar(0, dtype)); }
array ones(Shape shape, Dtype dtype) { return full(std::move(shape), array::scalar(1, dtype)); }

array zeros_like(const array& a) { return zeros(a.shape(), a.dtype()); }
array ones_like(const array& a) { return ones(a.shape(), a.dtype()); }

}  // namespace mlx

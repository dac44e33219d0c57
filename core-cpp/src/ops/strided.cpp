#include "ops/strided.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "ops/shape.h"
#include "primitives/strided.h"

namespace mlx {

array as_strided(const array& a, Shape shape, Strides strides, int64_t offset) {
  const char* op = "as_strided";
  auto fail = [op](const std::string& msg) { throw std::invalid_argument(std::string("[") + op + "] " + msg); };
  if (shape.size() != strides.size()) {
    fail("shape and strides must have the same length, got " + std::to_string(shape.size()) + " and " +
         std::to_string(strides.size()) + ".");
  }
  if (std::any_of(shape.begin(), shape.end(), [](int32_t d) { return d < 0; })) {
    fail("Negative dimensions are not allowed in shape " + shape_string(shape) + ".");
  }
  if (offset < 0) fail("offset must be non-negative, got " + std::to_string(offset) + ".");
  // MLX trusts the caller here; the core checks that every element the view can reach is
  // one of a's, so a bad view is an error instead of a read outside the buffer.
  if (shape_size(shape) > 0) {
    int64_t lo = offset, hi = offset;
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t span = int64_t(shape[i] - 1) * strides[i];
      (span < 0 ? lo : hi) += span;
    }
    int64_t n = static_cast<int64_t>(a.size());
    if (lo < 0 || hi >= n) {
      fail("The view reaches elements " + std::to_string(lo) + " to " + std::to_string(hi) +
           ", outside the input's " + std::to_string(n) + " elements.");
    }
  }
  // The primitive reads a flat, row-ordered input.
  array flat = reshape(a, {static_cast<int32_t>(a.size())});
  Shape out_shape = shape;
  return array(std::move(out_shape), a.dtype(),
               std::make_shared<AsStrided>(std::move(shape), std::move(strides), offset), {flat});
}

array contiguous(const array& a, bool allow_col_major) {
  return array(a.shape(), a.dtype(), std::make_shared<Contiguous>(allow_col_major), {a});
}

}  // namespace mlx

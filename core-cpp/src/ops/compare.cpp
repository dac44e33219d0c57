#include "ops/compare.h"

#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/reduce.h"
#include "primitives/compare.h"

namespace mlx {

namespace {

// Promotes both inputs to their common dtype and broadcasts them; the output is bool.
template <typename P, typename... Args>
array predicate(const array& a, const array& b, const char* op, Args... args) {
  Dtype t = promote_types(a.dtype(), b.dtype());
  Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
  std::vector<array> ins{broadcast_to(astype(a, t), shape), broadcast_to(astype(b, t), shape)};
  return array(shape, Dtype::bool_, std::make_shared<P>(args...), std::move(ins));
}

}  // namespace

array equal(const array& a, const array& b) { return predicate<Compare>(a, b, "equal", CompareType::Equal, false); }
array not_equal(const array& a, const array& b) {
  return predicate<Compare>(a, b, "not_equal", CompareType::NotEqual, false);
}
array greater(const array& a, const array& b) {
  return predicate<Compare>(a, b, "greater", CompareType::Greater, false);
}
array greater_equal(const array& a, const array& b) {
  return predicate<Compare>(a, b, "greater_equal", CompareType::GreaterEqual, false);
}
array less(const array& a, const array& b) { return predicate<Compare>(a, b, "less", CompareType::Less, false); }
array less_equal(const array& a, const array& b) {
  return predicate<Compare>(a, b, "less_equal", CompareType::LessEqual, false);
}

array where(const array& cond, const array& x, const array& y) {
  Dtype t = promote_types(x.dtype(), y.dtype());
  Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), x.shape(), "where"), y.shape(), "where");
  std::vector<array> ins{broadcast_to(astype(cond, Dtype::bool_), shape), broadcast_to(astype(x, t), shape),
                         broadcast_to(astype(y, t), shape)};
  return array(shape, t, std::make_shared<Select>(), std::move(ins));
}

array isclose(const array& a, const array& b, double rtol, double atol, bool equal_nan) {
  return predicate<IsClose>(a, b, "isclose", rtol, atol, equal_nan);
}

array allclose(const array& a, const array& b, double rtol, double atol, bool equal_nan) {
  return all(isclose(a, b, rtol, atol, equal_nan));
}

array array_equal(const array& a, const array& b, bool equal_nan) {
  if (a.shape() != b.shape()) return array::scalar(0, Dtype::bool_);
  return all(predicate<Compare>(a, b, "array_equal", CompareType::Equal, equal_nan));
}

}  // namespace mlx

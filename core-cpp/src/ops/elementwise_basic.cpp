#include "ops/elementwise_basic.h"

#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives/elementwise_basic.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// Promotes and broadcasts two operands to a common dtype and shape.
std::vector<array> broadcast_pair(const array& a, const array& b, Dtype dtype, const char* op) {
  Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
  return {broadcast_to(astype(a, dtype), shape), broadcast_to(astype(b, dtype), shape)};
}

template <typename P>
array binary(const array& a, const array& b, Dtype dtype, const char* op) {
  auto ins = broadcast_pair(a, b, dtype, op);
  Shape shape = ins[0].shape();
  return array(std::move(shape), dtype, std::make_shared<P>(), std::move(ins));
}

template <typename P>
array unary_floating(const array& a) {
  Dtype t = to_floating(a.dtype());
  return array(a.shape(), t, std::make_shared<P>(), {astype(a, t)});
}

}  // namespace

// ---- element-wise -------------------------------------------------------------------

array negative(const array& a) {
  if (a.dtype() == Dtype::bool_) fail("negative", "The negative of a bool is not supported; use logical_not.");
  return array(a.shape(), a.dtype(), std::make_shared<Negative>(), {a});
}
array exp(const array& a) { return unary_floating<Exp>(a); }
array log(const array& a) { return unary_floating<Log>(a); }
array tanh(const array& a) { return unary_floating<Tanh>(a); }

array add(const array& a, const array& b) {
  return binary<Add>(a, b, promote_types(a.dtype(), b.dtype()), "add");
}
array subtract(const array& a, const array& b) {
  return binary<Subtract>(a, b, promote_types(a.dtype(), b.dtype()), "subtract");
}
array multiply(const array& a, const array& b) {
  return binary<Multiply>(a, b, promote_types(a.dtype(), b.dtype()), "multiply");
}
array divide(const array& a, const array& b) {
  return binary<Divide>(a, b, to_floating(promote_types(a.dtype(), b.dtype())), "divide");
}

}  // namespace mlx

#include "primitives/elementwise_basic.h"

#include "backend/cpu/binary.h"
#include "backend/cpu/unary.h"
#include "ops.h"

namespace mlx {

void Negative::eval(const std::vector<array>& in, array& out) {
  unary_eval(in[0], out, NegativeOp{}, "negative", false);
}
void Exp::eval(const std::vector<array>& in, array& out) { unary_eval(in[0], out, ExpOp{}, "exp", true); }
void Log::eval(const std::vector<array>& in, array& out) { unary_eval(in[0], out, LogOp{}, "log", true); }
void Tanh::eval(const std::vector<array>& in, array& out) {
  unary_eval(in[0], out, TanhOp{}, "tanh", true);
}

void Add::eval(const std::vector<array>& in, array& out) { binary_eval(in[0], in[1], out, AddOp{}); }
void Subtract::eval(const std::vector<array>& in, array& out) {
  binary_eval(in[0], in[1], out, SubtractOp{});
}
void Multiply::eval(const std::vector<array>& in, array& out) {
  binary_eval(in[0], in[1], out, MultiplyOp{});
}
void Divide::eval(const std::vector<array>& in, array& out) {
  binary_eval(in[0], in[1], out, DivideOp{});
}

// ---- gradients -----------------------------------------------------------------------
// vjp rules return one cotangent per entry of argnums; jvp rules receive one tangent per
// entry of argnums and return the output's tangent.

namespace {

// The tangent of input `i` if it has one, else an invalid array.
array tangent_of(const std::vector<array>& tangents, const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k)
    if (argnums[k] == i) return tangents[k];
  return array();
}

// Sums the contributions of the inputs that have tangents.
array add_tangents(array a, array b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return add(a, b);
}

}  // namespace

std::vector<array> Negative::vjp(const std::vector<array>&, const std::vector<array>& cot,
                                 const std::vector<int>&, const std::vector<array>&) {
  return {negative(cot[0])};
}
std::vector<array> Negative::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                 const std::vector<int>&) {
  return {negative(tan[0])};
}

std::vector<array> Exp::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                            const std::vector<array>& outputs) {
  return {multiply(cot[0], outputs[0])};
}
std::vector<array> Exp::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                            const std::vector<int>&) {
  return {multiply(tan[0], exp(primals[0]))};
}

std::vector<array> Log::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                            const std::vector<int>&, const std::vector<array>&) {
  return {divide(cot[0], primals[0])};
}
std::vector<array> Log::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                            const std::vector<int>&) {
  return {divide(tan[0], primals[0])};
}

std::vector<array> Tanh::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                             const std::vector<array>& outputs) {
  const array& y = outputs[0];
  return {multiply(cot[0], subtract(array::scalar(1, y.dtype()), multiply(y, y)))};
}
std::vector<array> Tanh::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                             const std::vector<int>&) {
  array y = tanh(primals[0]);
  return {multiply(tan[0], subtract(array::scalar(1, y.dtype()), multiply(y, y)))};
}

std::vector<array> Add::vjp(const std::vector<array>&, const std::vector<array>& cot,
                            const std::vector<int>& argnums, const std::vector<array>&) {
  return std::vector<array>(argnums.size(), cot[0]);
}
std::vector<array> Add::jvp(const std::vector<array>&, const std::vector<array>& tan,
                            const std::vector<int>& argnums) {
  return {tan.size() == 1 ? tan[0] : add(tan[0], tan[1])};
}

std::vector<array> Subtract::vjp(const std::vector<array>&, const std::vector<array>& cot,
                                 const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(i == 0 ? cot[0] : negative(cot[0]));
  return out;
}
std::vector<array> Subtract::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                 const std::vector<int>& argnums) {
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  if (!t1.valid()) return {t0};
  return {t0.valid() ? subtract(t0, t1) : negative(t1)};
}

std::vector<array> Multiply::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                 const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(multiply(cot[0], primals[1 - i]));
  return out;
}
std::vector<array> Multiply::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                 const std::vector<int>& argnums) {
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  return {add_tangents(t0.valid() ? multiply(t0, primals[1]) : array(),
                       t1.valid() ? multiply(primals[0], t1) : array())};
}

std::vector<array> Divide::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>& outputs) {
  std::vector<array> out;
  for (int i : argnums) {
    // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b
    out.push_back(i == 0 ? divide(cot[0], primals[1])
                         : negative(divide(multiply(cot[0], outputs[0]), primals[1])));
  }
  return out;
}
std::vector<array> Divide::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  const array& a = primals[0];
  const array& b = primals[1];
  return {add_tangents(t0.valid() ? divide(t0, b) : array(),
                       t1.valid() ? negative(divide(multiply(a, t1), multiply(b, b))) : array())};
}

}  // namespace mlx

// ---- vmap rules ----------------------------------------------------------------------
// Each rule gets the batched inputs and where their batch axis is (-1: not batched) and
// returns the outputs with their batch axes. Most move the batch axis to the front and
// let broadcasting handle unbatched inputs.

#include "transforms/vmap.h"

namespace mlx {

namespace {
using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

// Element-wise ops keep the batch axis where it is.
template <typename F>
VmapResult vmap_unary(const std::vector<array>& in, const std::vector<int>& axes, F op) {
  return {{op(in[0])}, {axes[0]}};
}

// Binary element-wise: both batch axes to the front; an unbatched operand (whose shape is
// the unbatched shape) broadcasts against the batched one.
template <typename F>
VmapResult vmap_binary(std::vector<array> in, const std::vector<int>& axes, F op) {
  vmap_util::to_front(in, axes);
  // An unbatched operand of higher rank than the batched one's trailing part cannot occur:
  // the op broadcast both to one shape before batching.
  return {{op(in[0], in[1])}, {0}};
}
}  // namespace

VmapResult Negative::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return negative(x); });
}
VmapResult Exp::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return exp(x); });
}
VmapResult Log::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return log(x); });
}
VmapResult Tanh::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return tanh(x); });
}

VmapResult Add::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_binary(in, axes, [](const array& a, const array& b) { return add(a, b); });
}
VmapResult Subtract::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_binary(in, axes, [](const array& a, const array& b) { return subtract(a, b); });
}
VmapResult Multiply::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_binary(in, axes, [](const array& a, const array& b) { return multiply(a, b); });
}
VmapResult Divide::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_binary(in, axes, [](const array& a, const array& b) { return divide(a, b); });
}

}  // namespace mlx

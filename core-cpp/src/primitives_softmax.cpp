#include "primitives_softmax.h"

#include "backend/cpu/logsumexp.h"
#include "backend/cpu/softmax.h"
#include "ops_compare.h"
#include "ops_elementwise.h"
#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

array softmax_last_axis(const array& x) { return array(x.shape(), x.dtype(), std::make_shared<Softmax>(), {x}); }

void Softmax::eval(const std::vector<array>& in, array& out) { softmax_eval(in[0], out); }

namespace {
// y * (v - sum(v * y, last axis)): the Jacobian of softmax applied to v (it is symmetric).
array softmax_jacobian_product(const array& y, const array& v) {
  return multiply(y, subtract(v, sum(multiply(v, y), std::vector<int>{y.ndim() - 1}, true)));
}
}  // namespace

std::vector<array> Softmax::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                const std::vector<array>& outputs) {
  return {softmax_jacobian_product(outputs[0], cot[0])};
}

std::vector<array> Softmax::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                const std::vector<int>&) {
  return {softmax_jacobian_product(softmax_last_axis(primals[0]), tan[0])};
}

std::pair<std::vector<array>, std::vector<int>> Softmax::vmap(const std::vector<array>& in,
                                                              const std::vector<int>& axes) {
  // The batch axis must not be the last one: move it to the front.
  return {{softmax_last_axis(vmap_util::move_axis(in[0], axes[0], 0))}, {0}};
}

// ---- LogSumExp -------------------------------------------------------------------------

namespace {
Shape kept_last(Shape s) {
  s.back() = 1;
  return s;
}

// The reference: shifting by the (constant) maximum keeps exp in range; an infinite or NaN
// maximum is the answer itself (x - max would be NaN there).
std::vector<array> logsumexp_reference(const std::vector<array>& in) {
  const array& x = in[0];
  std::vector<int> ax{x.ndim() - 1};
  array m = stop_gradient(max(x, ax, true));
  array out = add(log(sum(exp(subtract(x, m)), ax, true)), m);
  return {where(isfinite(m), out, m)};
}
}  // namespace

LogSumExp::LogSumExp() : FastPrimitive(logsumexp_reference) {}

array logsumexp_last_axis(const array& x) {
  return array(kept_last(x.shape()), x.dtype(), std::make_shared<LogSumExp>(), {x});
}

void LogSumExp::eval_cpu(const std::vector<array>& in, std::vector<array>& out) { logsumexp_eval(in[0], out[0]); }

std::pair<std::vector<array>, std::vector<int>> LogSumExp::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  return vmap_leading(in, axes, std::make_shared<LogSumExp>());
}

std::vector<Shape> LogSumExp::output_shapes(const std::vector<array>& inputs) {
  return {kept_last(inputs[0].shape())};
}

}  // namespace mlx

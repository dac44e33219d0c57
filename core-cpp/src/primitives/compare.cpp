#include "primitives/compare.h"

#include "backend/cpu/compare.h"
#include "backend/cpu/ternary.h"
#include "ops.h"
#include "ops/compare.h"
#include "primitives/elementwise.h"

namespace mlx {

namespace {

// Predicates are piecewise constant: zero cotangents for every differentiated input.
std::vector<array> zero_cotangents(const std::vector<array>& primals, const std::vector<int>& argnums) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(zeros_like(primals[i]));
  return out;
}

}  // namespace

const char* Compare::name() const {
  switch (type_) {
    case CompareType::Equal: return "Equal";
    case CompareType::NotEqual: return "NotEqual";
    case CompareType::Greater: return "Greater";
    case CompareType::GreaterEqual: return "GreaterEqual";
    case CompareType::Less: return "Less";
    case CompareType::LessEqual: return "LessEqual";
  }
  return "Compare";
}

bool Compare::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const Compare*>(&other);
  return o && o->type_ == type_ && o->equal_nan_ == equal_nan_;
}

void Compare::eval(const std::vector<array>& in, array& out) {
  const array& a = in[0];
  const array& b = in[1];
  switch (type_) {
    case CompareType::Equal: return compare_eval(a, b, out, EqualOp{equal_nan_});
    case CompareType::NotEqual: return compare_eval(a, b, out, NotEqualOp{});
    case CompareType::Greater: return compare_eval(a, b, out, GreaterOp{});
    case CompareType::GreaterEqual: return compare_eval(a, b, out, GreaterEqualOp{});
    case CompareType::Less: return compare_eval(a, b, out, LessOp{});
    case CompareType::LessEqual: return compare_eval(a, b, out, LessEqualOp{});
  }
}
std::vector<array> Compare::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                const std::vector<int>& argnums, const std::vector<array>&) {
  return zero_cotangents(primals, argnums);
}
// MLX's rule: a bool zero tangent of the broadcast shape of the operands.
std::vector<array> Compare::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                const std::vector<int>&) {
  return {zeros(broadcast_shapes(primals[0].shape(), primals[1].shape(), "jvp"), Dtype::bool_)};
}

void IsClose::eval(const std::vector<array>& in, array& out) {
  compare_eval(in[0], in[1], out, IsCloseOp{rtol_, atol_, equal_nan_});
}
std::vector<array> IsClose::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                const std::vector<int>& argnums, const std::vector<array>&) {
  return zero_cotangents(primals, argnums);
}
std::vector<array> IsClose::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                const std::vector<int>&) {
  return {zeros(broadcast_shapes(primals[0].shape(), primals[1].shape(), "jvp"), Dtype::bool_)};
}

void Select::eval(const std::vector<array>& in, array& out) { select_eval(in[0], in[1], in[2], out); }

// d where(c, x, y) / dx = c, / dy = !c; the condition gets a zero cotangent.
std::vector<array> Select::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  const array& c = primals[0];
  for (int i : argnums) {
    if (i == 0) {
      out.push_back(zeros_like(c));
    } else {
      array zero = zeros_like(cot[0]);
      out.push_back(i == 1 ? where(c, cot[0], zero) : where(c, zero, cot[0]));
    }
  }
  return out;
}
std::vector<array> Select::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  array tx, ty;
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == 1) tx = tan[k];
    if (argnums[k] == 2) ty = tan[k];
  }
  const array& x = primals[1];
  if (!tx.valid() && !ty.valid()) return {zeros_like(x)};
  if (!tx.valid()) tx = zeros_like(ty);
  if (!ty.valid()) ty = zeros_like(tx);
  return {where(primals[0], tx, ty)};
}

// ---- vmap rules ------------------------------------------------------------------------------
// Batch axes to the front, unbatched inputs broadcast along it (batch_elementwise_inputs).

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

VmapResult Compare::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  return {{array(std::move(s), Dtype::bool_, std::make_shared<Compare>(type_, equal_nan_), std::move(xs))}, {0}};
}

VmapResult IsClose::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  auto p = std::make_shared<IsClose>(rtol_, atol_, equal_nan_);
  return {{array(std::move(s), Dtype::bool_, std::move(p), std::move(xs))}, {0}};
}

VmapResult Select::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  Dtype t = xs[1].dtype();
  return {{array(std::move(s), t, std::make_shared<Select>(), std::move(xs))}, {0}};
}

}  // namespace mlx

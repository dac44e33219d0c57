#include "primitives/elementwise.h"

#include <cmath>

#include "backend/cpu/binary.h"
#include "backend/cpu/elementwise_ops.h"
#include "backend/cpu/unary.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

const char* const unary_names[] = {
    "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Expm1", "Log2", "Log10", "Log1p",
    "Sin", "Cos", "Tan", "ArcSin", "ArcCos", "ArcTan", "Sinh", "Cosh", "ArcSinh", "ArcCosh", "ArcTanh",
    "Sigmoid", "Erf", "ErfInv", "Ceil", "Floor", "Round",
    "IsNan", "IsInf", "IsFinite", "IsPosInf", "IsNegInf", "LogicalNot", "BitwiseInvert",
};
const char* const binary_names[] = {
    "FloorDivide", "Remainder", "Power", "Maximum", "Minimum", "LogAddExp", "ArcTan2",
    "LogicalAnd", "LogicalOr", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "LeftShift", "RightShift",
};

array scalar_like(double v, const array& x) { return array::scalar(v, x.dtype()); }

// The tangent of input `i` if it has one, else an invalid array.
array tangent_of(const std::vector<array>& tangents, const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k)
    if (argnums[k] == i) return tangents[k];
  return array();
}

// t0 * d0 + t1 * d1 over the inputs that have tangents (d invalid: zero derivative).
array combine(const array& t0, const array& d0, const array& t1, const array& d1, const array& like) {
  array r;
  auto term = [&](const array& t, const array& d) {
    if (!t.valid() || !d.valid()) return;
    array p = multiply(t, d);
    r = r.valid() ? add(r, p) : p;
  };
  term(t0, d0);
  term(t1, d1);
  return r.valid() ? r : zeros_like(like);
}

// 1 where mask holds, else 0, in x's dtype: the gradient routing of maximum/minimum.
// Comparisons rather than the sign of a - b, so inf - inf (equal infinities) or a NaN
// operand route nothing instead of producing NaN.
array mask_of(const array& mask, const array& x) { return where(mask, scalar_like(1, x), scalar_like(0, x)); }

}  // namespace

// ---- unary ----------------------------------------------------------------------------

const char* ElementwiseUnary::name() const { return unary_names[static_cast<int>(op_)]; }

void ElementwiseUnary::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  switch (op_) {
    case UnaryOp::Abs: return unary_eval<Kinds::Numeric>(x, out, ew::Abs{}, "abs");
    case UnaryOp::Sign: return unary_eval<Kinds::Numeric>(x, out, ew::Sign{}, "sign");
    case UnaryOp::Square: return unary_eval<Kinds::Numeric>(x, out, ew::Square{}, "square");
    case UnaryOp::Sqrt: return unary_eval<Kinds::Floating>(x, out, ew::Sqrt{}, "sqrt");
    case UnaryOp::Rsqrt: return unary_eval<Kinds::Floating>(x, out, ew::Rsqrt{}, "rsqrt");
    case UnaryOp::Expm1: return unary_eval<Kinds::Floating>(x, out, ew::Expm1{}, "expm1");
    case UnaryOp::Log2: return unary_eval<Kinds::Floating>(x, out, ew::Log2{}, "log2");
    case UnaryOp::Log10: return unary_eval<Kinds::Floating>(x, out, ew::Log10{}, "log10");
    case UnaryOp::Log1p: return unary_eval<Kinds::Floating>(x, out, ew::Log1p{}, "log1p");
    case UnaryOp::Sin: return unary_eval<Kinds::Floating>(x, out, ew::Sin{}, "sin");
    case UnaryOp::Cos: return unary_eval<Kinds::Floating>(x, out, ew::Cos{}, "cos");
    case UnaryOp::Tan: return unary_eval<Kinds::Floating>(x, out, ew::Tan{}, "tan");
    case UnaryOp::ArcSin: return unary_eval<Kinds::Floating>(x, out, ew::ArcSin{}, "arcsin");
    case UnaryOp::ArcCos: return unary_eval<Kinds::Floating>(x, out, ew::ArcCos{}, "arccos");
    case UnaryOp::ArcTan: return unary_eval<Kinds::Floating>(x, out, ew::ArcTan{}, "arctan");
    case UnaryOp::Sinh: return unary_eval<Kinds::Floating>(x, out, ew::Sinh{}, "sinh");
    case UnaryOp::Cosh: return unary_eval<Kinds::Floating>(x, out, ew::Cosh{}, "cosh");
    case UnaryOp::ArcSinh: return unary_eval<Kinds::Floating>(x, out, ew::ArcSinh{}, "arcsinh");
    case UnaryOp::ArcCosh: return unary_eval<Kinds::Floating>(x, out, ew::ArcCosh{}, "arccosh");
    case UnaryOp::ArcTanh: return unary_eval<Kinds::Floating>(x, out, ew::ArcTanh{}, "arctanh");
    case UnaryOp::Sigmoid: return unary_eval<Kinds::Floating>(x, out, ew::Sigmoid{}, "sigmoid");
    case UnaryOp::Erf: return unary_eval<Kinds::Floating>(x, out, ew::Erf{}, "erf");
    case UnaryOp::ErfInv: return unary_eval<Kinds::Floating>(x, out, ew::ErfInv{}, "erfinv");
    case UnaryOp::Ceil: return unary_eval<Kinds::Floating>(x, out, ew::Ceil{}, "ceil");
    case UnaryOp::Floor: return unary_eval<Kinds::Floating>(x, out, ew::Floor{}, "floor");
    case UnaryOp::Round: return unary_eval<Kinds::Floating>(x, out, ew::Round{}, "round");
    case UnaryOp::IsNan: return unary_eval<Kinds::Floating, true>(x, out, ew::IsNan{}, "isnan");
    case UnaryOp::IsInf: return unary_eval<Kinds::Floating, true>(x, out, ew::IsInf{}, "isinf");
    case UnaryOp::IsFinite: return unary_eval<Kinds::Floating, true>(x, out, ew::IsFinite{}, "isfinite");
    case UnaryOp::IsPosInf: return unary_eval<Kinds::Floating, true>(x, out, ew::IsPosInf{}, "isposinf");
    case UnaryOp::IsNegInf: return unary_eval<Kinds::Floating, true>(x, out, ew::IsNegInf{}, "isneginf");
    case UnaryOp::LogicalNot: return unary_eval<Kinds::Bool>(x, out, ew::LogicalNot{}, "logical_not");
    case UnaryOp::BitwiseInvert: return unary_eval<Kinds::Integer>(x, out, ew::BitwiseInvert{}, "bitwise_invert");
  }
}

namespace {

// d op(x) / dx given x and (when already computed) y = op(x); invalid for ops whose
// derivative is zero everywhere it exists (rounding, sign, predicates, integer outputs).
array derivative(UnaryOp op, const array& x, array y) {
  auto out = [&]() {
    if (!y.valid()) y = array(x.shape(), x.dtype(), std::make_shared<ElementwiseUnary>(op), {x});
    return y;
  };
  auto c = [&](double v) { return scalar_like(v, x); };
  switch (op) {
    case UnaryOp::Abs: return sign(x);
    case UnaryOp::Square: return multiply(c(2), x);
    case UnaryOp::Sqrt: return divide(c(0.5), out());
    case UnaryOp::Rsqrt: return multiply(c(-0.5), divide(out(), x));
    case UnaryOp::Expm1: return exp(x);
    case UnaryOp::Log2: return reciprocal(multiply(x, c(M_LN2)));
    case UnaryOp::Log10: return reciprocal(multiply(x, c(M_LN10)));
    case UnaryOp::Log1p: return reciprocal(add(x, c(1)));
    case UnaryOp::Sin: return cos(x);
    case UnaryOp::Cos: return negative(sin(x));
    case UnaryOp::Tan: return add(c(1), square(out()));
    case UnaryOp::ArcSin: return rsqrt(subtract(c(1), square(x)));
    case UnaryOp::ArcCos: return negative(rsqrt(subtract(c(1), square(x))));
    case UnaryOp::ArcTan: return reciprocal(add(c(1), square(x)));
    case UnaryOp::Sinh: return cosh(x);
    case UnaryOp::Cosh: return sinh(x);
    case UnaryOp::ArcSinh: return rsqrt(add(square(x), c(1)));
    case UnaryOp::ArcCosh: return rsqrt(subtract(square(x), c(1)));
    case UnaryOp::ArcTanh: return reciprocal(subtract(c(1), square(x)));
    case UnaryOp::Sigmoid: return multiply(out(), subtract(c(1), out()));
    case UnaryOp::Erf: return multiply(c(M_2_SQRTPI), exp(negative(square(x))));
    case UnaryOp::ErfInv: return multiply(c(0.5 * std::sqrt(M_PI)), exp(square(out())));
    default: return array();
  }
}

}  // namespace

std::vector<array> ElementwiseUnary::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                         const std::vector<int>&, const std::vector<array>& outputs) {
  array d = derivative(op_, primals[0], outputs[0]);
  return {d.valid() ? multiply(cot[0], d) : zeros_like(primals[0])};
}
std::vector<array> ElementwiseUnary::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                         const std::vector<int>&) {
  array d = derivative(op_, primals[0], array());
  if (d.valid()) return {multiply(tan[0], d)};
  // The predicates and logical_not (contiguous in UnaryOp) have bool outputs.
  bool bool_out = op_ >= UnaryOp::IsNan && op_ <= UnaryOp::LogicalNot;
  return {zeros(primals[0].shape(), bool_out ? Dtype::bool_ : primals[0].dtype())};
}

// ---- binary ----------------------------------------------------------------------------

const char* ElementwiseBinary::name() const { return binary_names[static_cast<int>(op_)]; }

void ElementwiseBinary::eval(const std::vector<array>& in, array& out) {
  const array& a = in[0];
  const array& b = in[1];
  switch (op_) {
    case BinaryOp::FloorDivide: return binary_eval<Kinds::Numeric>(a, b, out, ew::FloorDivide{}, "floor_divide");
    case BinaryOp::Remainder: return binary_eval<Kinds::Numeric>(a, b, out, ew::Remainder{}, "remainder");
    case BinaryOp::Power: return binary_eval<Kinds::Numeric>(a, b, out, ew::Power{}, "power");
    case BinaryOp::Maximum: return binary_eval<Kinds::All>(a, b, out, ew::Maximum{}, "maximum");
    case BinaryOp::Minimum: return binary_eval<Kinds::All>(a, b, out, ew::Minimum{}, "minimum");
    case BinaryOp::LogAddExp: return binary_eval<Kinds::Floating>(a, b, out, ew::LogAddExp{}, "logaddexp");
    case BinaryOp::ArcTan2: return binary_eval<Kinds::Floating>(a, b, out, ew::ArcTan2{}, "arctan2");
    case BinaryOp::LogicalAnd: return binary_eval<Kinds::Bool, true>(a, b, out, ew::LogicalAnd{}, "logical_and");
    case BinaryOp::LogicalOr: return binary_eval<Kinds::Bool, true>(a, b, out, ew::LogicalOr{}, "logical_or");
    case BinaryOp::BitwiseAnd: return binary_eval<Kinds::Integral>(a, b, out, ew::BitwiseAnd{}, "bitwise_and");
    case BinaryOp::BitwiseOr: return binary_eval<Kinds::Integral>(a, b, out, ew::BitwiseOr{}, "bitwise_or");
    case BinaryOp::BitwiseXor: return binary_eval<Kinds::Integral>(a, b, out, ew::BitwiseXor{}, "bitwise_xor");
    case BinaryOp::LeftShift: return binary_eval<Kinds::Integer>(a, b, out, ew::LeftShift{}, "left_shift");
    case BinaryOp::RightShift: return binary_eval<Kinds::Integer>(a, b, out, ew::RightShift{}, "right_shift");
  }
}

namespace {

// The partial derivatives {d/da, d/db} of op at (a, b) with output y (invalid: zero).
std::pair<array, array> partials(BinaryOp op, const array& a, const array& b, const array& y) {
  auto c = [&](double v) { return scalar_like(v, a); };
  switch (op) {
    case BinaryOp::Remainder:
      // a - b * floor(a / b): 1 and -floor(a / b) away from the jumps.
      return {ones_like(a), negative(floor(divide(a, b)))};
    case BinaryOp::Power: {
      array da = multiply(b, power(a, subtract(b, c(1))));
      // y * log(a), with log(a) replaced by 0 where a == 0 so that d(0^b)/db = 0 rather
      // than 0 * -inf (MLX masks the same case).
      array safe_a = add(a, astype(logical_not(a), a.dtype()));
      array yv = y.valid() ? y : power(a, b);
      return {da, multiply(yv, log(safe_a))};
    }
    // As MLX: the first operand where it wins strictly, the second on ties; a NaN operand
    // (a NaN output) routes to neither.
    case BinaryOp::Maximum:
      return {mask_of(greater(a, b), a), mask_of(less_equal(a, b), a)};
    case BinaryOp::Minimum:
      return {mask_of(less(a, b), a), mask_of(greater_equal(a, b), a)};
    case BinaryOp::LogAddExp:
      return {sigmoid(subtract(a, b)), sigmoid(subtract(b, a))};
    case BinaryOp::ArcTan2: {
      array r = add(square(a), square(b));
      return {divide(b, r), negative(divide(a, r))};
    }
    default: return {array(), array()};
  }
}

}  // namespace

std::vector<array> ElementwiseBinary::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                          const std::vector<int>& argnums, const std::vector<array>& outputs) {
  auto [da, db] = partials(op_, primals[0], primals[1], outputs[0]);
  std::vector<array> out;
  for (int i : argnums) {
    const array& d = i == 0 ? da : db;
    out.push_back(d.valid() ? multiply(cot[0], d) : zeros_like(primals[i]));
  }
  return out;
}
std::vector<array> ElementwiseBinary::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                          const std::vector<int>& argnums) {
  auto [da, db] = partials(op_, primals[0], primals[1], array());
  bool bool_out = op_ == BinaryOp::LogicalAnd || op_ == BinaryOp::LogicalOr;
  array like = bool_out ? zeros(primals[0].shape(), Dtype::bool_) : primals[0];
  return {combine(tangent_of(tan, argnums, 0), da, tangent_of(tan, argnums, 1), db, like)};
}

// ---- divmod -----------------------------------------------------------------------------

void DivMod::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) {
  // Two passes over the same inputs: neither may take over an input's buffer.
  binary_eval<Kinds::Numeric>(in[0], in[1], outs[0], ew::FloorDivide{}, "divmod", false);
  binary_eval<Kinds::Numeric>(in[0], in[1], outs[1], ew::Remainder{}, "divmod", false);
}

// The quotient is piecewise constant; the remainder differentiates as remainder does.
// (MLX returns zeros for both; these are the derivatives of the two outputs.)
std::vector<array> DivMod::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) {
    out.push_back(i == 0 ? cot[1] : negative(multiply(cot[1], floor(divide(primals[0], primals[1])))));
  }
  return out;
}
std::vector<array> DivMod::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  array ta = tangent_of(tan, argnums, 0), tb = tangent_of(tan, argnums, 1);
  array db = tb.valid() ? negative(floor(divide(primals[0], primals[1]))) : array();
  array ones = ta.valid() ? ones_like(primals[0]) : array();
  return {zeros_like(primals[0]), combine(ta, ones, tb, db, primals[0])};
}

// ---- nan_to_num ---------------------------------------------------------------------------

void NanToNum::eval(const std::vector<array>& in, array& out) {
  unary_eval<Kinds::Floating>(in[0], out, ew::NanToNum{nan_, posinf_, neginf_}, "nan_to_num");
}

// Identity on finite values, constant elsewhere.
std::vector<array> NanToNum::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                 const std::vector<int>&, const std::vector<array>&) {
  return {multiply(cot[0], astype(isfinite(primals[0]), cot[0].dtype()))};
}
std::vector<array> NanToNum::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                 const std::vector<int>&) {
  return {multiply(tan[0], astype(isfinite(primals[0]), tan[0].dtype()))};
}

// ---- compile: fused op codes -------------------------------------------------------------
// The FusedOp codes of the element-wise family follow the order of UnaryOp and BinaryOp.

static_assert(FRound - FAbs == static_cast<int>(UnaryOp::Round) - static_cast<int>(UnaryOp::Abs),
              "FusedOp FAbs..FRound must follow UnaryOp Abs..Round");
static_assert(static_cast<int>(UnaryOp::Abs) == 0, "UnaryOp starts at Abs");
static_assert(FArcTan2 - FFloorDivide ==
                  static_cast<int>(BinaryOp::ArcTan2) - static_cast<int>(BinaryOp::FloorDivide),
              "FusedOp FFloorDivide..FArcTan2 must follow BinaryOp FloorDivide..ArcTan2");
static_assert(static_cast<int>(BinaryOp::FloorDivide) == 0, "BinaryOp starts at FloorDivide");

int ElementwiseUnary::fused_op() const {
  return op_ <= UnaryOp::Round ? FAbs + static_cast<int>(op_) : -1;
}
int ElementwiseBinary::fused_op() const {
  return op_ <= BinaryOp::ArcTan2 ? FFloorDivide + static_cast<int>(op_) : -1;
}

// ---- vmap rules ------------------------------------------------------------------------------

Shape batch_elementwise_inputs(std::vector<array>& xs, const std::vector<int>& axes) {
  int n = vmap_util::to_front(xs, axes);
  for (size_t i = 0; i < xs.size(); ++i)
    if (axes[i] < 0) xs[i] = vmap_util::batch_broadcast(xs[i], n);
  return xs[0].shape();
}

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

// Unary: the batch axis stays where it is.
VmapResult ElementwiseUnary::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  const array& x = in[0];
  bool bool_out = op_ >= UnaryOp::IsNan && op_ <= UnaryOp::LogicalNot;
  Dtype t = bool_out ? Dtype::bool_ : x.dtype();
  return {{array(x.shape(), t, std::make_shared<ElementwiseUnary>(op_), {x})}, {axes[0]}};
}

VmapResult ElementwiseBinary::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  bool bool_out = op_ == BinaryOp::LogicalAnd || op_ == BinaryOp::LogicalOr;
  Dtype t = bool_out ? Dtype::bool_ : xs[0].dtype();
  return {{array(std::move(s), t, std::make_shared<ElementwiseBinary>(op_), std::move(xs))}, {0}};
}

VmapResult DivMod::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  Dtype t = xs[0].dtype();
  return {array::make_arrays({s, s}, {t, t}, std::make_shared<DivMod>(), std::move(xs)), {0, 0}};
}

VmapResult NanToNum::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  const array& x = in[0];
  return {{array(x.shape(), x.dtype(), std::make_shared<NanToNum>(nan_, posinf_, neginf_), {x})}, {axes[0]}};
}

}  // namespace mlx

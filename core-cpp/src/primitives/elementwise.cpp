#include "primitives/elementwise.h"

#include <cmath>
#include <iterator>

#include "backend/cpu/binary.h"
#include "backend/cpu/elementwise_ops.h"
#include "backend/cpu/unary.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

// From the table: the primitive names (its C++ names), the output kinds, fusing.
#define MLX_EW_NAME(NAME, ...) #NAME,
const char* const unary_names[] = {MLX_ELEMENTWISE_UNARY(MLX_EW_NAME)};
const char* const binary_names[] = {MLX_ELEMENTWISE_BINARY(MLX_EW_NAME)};
#undef MLX_EW_NAME

enum class Out { Same, Bool };
#define MLX_EW_BOOL_OUT(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) Out::OUT == Out::Bool,
constexpr bool unary_bool_out[] = {MLX_ELEMENTWISE_UNARY(MLX_EW_BOOL_OUT)};
constexpr bool binary_bool_out[] = {MLX_ELEMENTWISE_BINARY(MLX_EW_BOOL_OUT)};
#undef MLX_EW_BOOL_OUT
#define MLX_EW_FUSES(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) FUSES != 0,
constexpr bool unary_fuses[] = {MLX_ELEMENTWISE_UNARY(MLX_EW_FUSES)};
constexpr bool binary_fuses[] = {MLX_ELEMENTWISE_BINARY(MLX_EW_FUSES)};
#undef MLX_EW_FUSES

bool bool_out(UnaryOp op) { return unary_bool_out[static_cast<int>(op)]; }
bool bool_out(BinaryOp op) { return binary_bool_out[static_cast<int>(op)]; }

array scalar_like(double v, const array& x) { return array::scalar(v, x.dtype()); }

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
  switch (op_) {
#define MLX_EW_EVAL(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  case UnaryOp::NAME:                                         \
    return unary_eval<Kinds::KINDS, Out::OUT == Out::Bool>(in[0], out, ew::NAME{}, #MLX_NAME);
    MLX_ELEMENTWISE_UNARY(MLX_EW_EVAL)
#undef MLX_EW_EVAL
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
    case UnaryOp::Exp: return out();
    case UnaryOp::Tanh: return subtract(c(1), multiply(out(), out()));
    // complex64 (abs is |x| in a complex array, cast to float32 by the op): conj(x) / |x|,
    // the rule of the convention of every complex vjp here (see docs/complex.md).
    case UnaryOp::Abs: return is_complex(x.dtype()) ? conjugate(sign(x)) : sign(x);
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

// g * op'(x): the vjp of cotangent g and the jvp of tangent g (invalid: zero). Negative
// and log scale g directly rather than through a derivative array.
array scale_by_derivative(UnaryOp op, const array& x, const array& y, const array& g) {
  switch (op) {
    case UnaryOp::Negative: return negative(g);
    case UnaryOp::Conjugate: return conjugate(g);
    case UnaryOp::Log: return divide(g, x);
    default: {
      array d = derivative(op, x, y);
      return d.valid() ? multiply(g, d) : array();
    }
  }
}

}  // namespace

std::vector<array> ElementwiseUnary::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                         const std::vector<int>&, const std::vector<array>& outputs) {
  array r = scale_by_derivative(op_, primals[0], outputs[0], cot[0]);
  return {r.valid() ? r : zeros_like(primals[0])};
}
std::vector<array> ElementwiseUnary::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                         const std::vector<int>&) {
  array r = scale_by_derivative(op_, primals[0], array(), tan[0]);
  if (r.valid()) return {r};
  return {zeros(primals[0].shape(), bool_out(op_) ? Dtype::bool_ : primals[0].dtype())};
}

// ---- binary ----------------------------------------------------------------------------

const char* ElementwiseBinary::name() const { return binary_names[static_cast<int>(op_)]; }

void ElementwiseBinary::eval(const std::vector<array>& in, array& out) {
  switch (op_) {
#define MLX_EW_EVAL(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  case BinaryOp::NAME:                                        \
    return binary_eval<Kinds::KINDS, Out::OUT == Out::Bool>(in[0], in[1], out, ew::NAME{}, #MLX_NAME);
    MLX_ELEMENTWISE_BINARY(MLX_EW_EVAL)
#undef MLX_EW_EVAL
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

// Add, Subtract, Multiply and Divide have their own rules (no partials array); the other
// ops scale by their partials.
std::vector<array> ElementwiseBinary::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                          const std::vector<int>& argnums, const std::vector<array>& outputs) {
  const array& g = cot[0];
  std::vector<array> out;
  switch (op_) {
    case BinaryOp::Add: return std::vector<array>(argnums.size(), g);
    case BinaryOp::Subtract:
      for (int i : argnums) out.push_back(i == 0 ? g : negative(g));
      return out;
    case BinaryOp::Multiply:
      for (int i : argnums) out.push_back(multiply(g, primals[1 - i]));
      return out;
    case BinaryOp::Divide:
      // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b
      for (int i : argnums)
        out.push_back(i == 0 ? divide(g, primals[1]) : negative(divide(multiply(g, outputs[0]), primals[1])));
      return out;
    default: break;
  }
  auto [da, db] = partials(op_, primals[0], primals[1], outputs[0]);
  for (int i : argnums) {
    const array& d = i == 0 ? da : db;
    out.push_back(d.valid() ? multiply(cot[0], d) : zeros_like(primals[i]));
  }
  return out;
}
std::vector<array> ElementwiseBinary::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                          const std::vector<int>& argnums) {
  const array& a = primals[0];
  const array& b = primals[1];
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  switch (op_) {
    case BinaryOp::Add: return {tan.size() == 1 ? tan[0] : add(tan[0], tan[1])};
    case BinaryOp::Subtract:
      if (!t1.valid()) return {t0};
      return {t0.valid() ? subtract(t0, t1) : negative(t1)};
    case BinaryOp::Multiply:
      return {add_tangents(t0.valid() ? multiply(t0, b) : array(), t1.valid() ? multiply(a, t1) : array())};
    case BinaryOp::Divide:
      return {add_tangents(t0.valid() ? divide(t0, b) : array(),
                           t1.valid() ? negative(divide(multiply(a, t1), multiply(b, b))) : array())};
    default: break;
  }
  auto [da, db] = partials(op_, primals[0], primals[1], array());
  array like = bool_out(op_) ? zeros(primals[0].shape(), Dtype::bool_) : primals[0];
  return {combine(t0, da, t1, db, like)};
}

// ---- divmod -----------------------------------------------------------------------------

void DivMod::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) {
  // Two passes over the same inputs: neither may take over an input's buffer.
  binary_eval<Kinds::Real>(in[0], in[1], outs[0], ew::FloorDivide{}, "divmod", false);
  binary_eval<Kinds::Real>(in[0], in[1], outs[1], ew::Remainder{}, "divmod", false);
}

// MLX's rule: divmod has no derivative in either direction (zero cotangents for both
// inputs, zero tangents for both outputs), although the remainder alone would have one.
std::vector<array> DivMod::vjp(const std::vector<array>& primals, const std::vector<array>&,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(zeros_like(primals[i]));
  return out;
}
std::vector<array> DivMod::jvp(const std::vector<array>& primals, const std::vector<array>&,
                               const std::vector<int>&) {
  Shape s = broadcast_shapes(primals[0].shape(), primals[1].shape(), "divmod");
  return {zeros(s, primals[0].dtype()), zeros(s, primals[0].dtype())};
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
// FusedOp has one code per table line, unary ops first (kernels/fused.h).

int ElementwiseUnary::fused_op() const {
  return unary_fuses[static_cast<int>(op_)] ? static_cast<int>(op_) : -1;
}
int ElementwiseBinary::fused_op() const {
  constexpr int n_unary = static_cast<int>(std::size(unary_fuses));
  int i = static_cast<int>(op_);
  return binary_fuses[i] ? n_unary + i : -1;
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
  Dtype t = bool_out(op_) ? Dtype::bool_ : x.dtype();
  return {{array(x.shape(), t, std::make_shared<ElementwiseUnary>(op_), {x})}, {axes[0]}};
}

VmapResult ElementwiseBinary::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  std::vector<array> xs = in;
  Shape s = batch_elementwise_inputs(xs, axes);
  Dtype t = bool_out(op_) ? Dtype::bool_ : xs[0].dtype();
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

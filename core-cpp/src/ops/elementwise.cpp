#include "ops/elementwise.h"

#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives/elementwise.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// complex64 where an op has no complex kernel (MLX's message).
void reject_complex(Dtype t, const char* name) {
  if (is_complex(t)) fail(name, "Not supported for complex64.");
}

array unary(UnaryOp op, const array& a, Dtype out_dtype) {
  return array(a.shape(), out_dtype, std::make_shared<ElementwiseUnary>(op), {a});
}

// Float-only math: integers and bool compute in float32, as MLX's exp does.
array unary_floating(UnaryOp op, const array& a) {
  Dtype t = to_floating(a.dtype());
  return unary(op, astype(a, t), t);
}

// Casts both operands to `dtype`, broadcasts them and builds the primitive.
array binary(BinaryOp op, const array& a, const array& b, Dtype dtype, Dtype out_dtype, const char* name) {
  Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
  std::vector<array> ins{broadcast_to(astype(a, dtype), shape), broadcast_to(astype(b, dtype), shape)};
  return array(std::move(shape), out_dtype, std::make_shared<ElementwiseBinary>(op), std::move(ins));
}

array binary(BinaryOp op, const array& a, const array& b, Dtype dtype, const char* name) {
  return binary(op, a, b, dtype, dtype, name);
}

// The division family has no defined meaning for bool (MLX's kernels would divide by a
// false); a clear error instead.
Dtype division_dtype(const array& a, const array& b, const char* name) {
  Dtype t = promote_types(a.dtype(), b.dtype());
  if (t == Dtype::bool_) fail(name, "Not supported for bool; cast to an integer dtype first.");
  reject_complex(t, name);
  return t;
}

Dtype bitwise_dtype(const array& a, const array& b, const char* name) {
  Dtype t = promote_types(a.dtype(), b.dtype());
  if (is_inexact(t)) fail(name, "Bitwise operations are only allowed on integer types.");
  return t;
}

array filled(const array& a, bool value) { return full(a.shape(), array::scalar(value ? 1 : 0, Dtype::bool_)); }

double dtype_max(Dtype t) {
  switch (t) {
    case Dtype::float16: return 65504.0;
    case Dtype::bfloat16: return 3.3895313892515355e38;
    case Dtype::float32: return FLT_MAX;
    default: return DBL_MAX;
  }
}

}  // namespace

// The ops of the kinds ToFloat and IntIdentity, from elementwise_table.h. complex64 runs
// the kernel when the op's kinds include it (Inexact) and is rejected otherwise.
#define MLX_EW_COMPLEX_Inexact true
#define MLX_EW_COMPLEX_Floating false
#define MLX_EW_DEFINE_ToFloat(NAME, MLX_NAME, KINDS)                                    \
  array MLX_NAME(const array& a) {                                                      \
    if (!MLX_EW_COMPLEX_##KINDS) reject_complex(a.dtype(), #MLX_NAME);                  \
    return unary_floating(UnaryOp::NAME, a);                                            \
  }
#define MLX_EW_DEFINE_IntIdentity(NAME, MLX_NAME, KINDS)                                         \
  array MLX_NAME(const array& a) {                                                               \
    reject_complex(a.dtype(), #MLX_NAME);                                                        \
    return is_floating(a.dtype()) ? unary(UnaryOp::NAME, a, a.dtype()) : a;                      \
  }
#define MLX_EW_DEFINE_Own(NAME, MLX_NAME, KINDS)
#define MLX_EW_DEFINE(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) MLX_EW_DEFINE_##OP(NAME, MLX_NAME, KINDS)
MLX_ELEMENTWISE_UNARY(MLX_EW_DEFINE)
#undef MLX_EW_DEFINE
#undef MLX_EW_COMPLEX_Inexact
#undef MLX_EW_COMPLEX_Floating
#undef MLX_EW_DEFINE_ToFloat
#undef MLX_EW_DEFINE_IntIdentity
#undef MLX_EW_DEFINE_Own

// ---- arithmetic ------------------------------------------------------------------------

array add(const array& a, const array& b) {
  return binary(BinaryOp::Add, a, b, promote_types(a.dtype(), b.dtype()), "add");
}
array subtract(const array& a, const array& b) {
  return binary(BinaryOp::Subtract, a, b, promote_types(a.dtype(), b.dtype()), "subtract");
}
array multiply(const array& a, const array& b) {
  return binary(BinaryOp::Multiply, a, b, promote_types(a.dtype(), b.dtype()), "multiply");
}
array divide(const array& a, const array& b) {
  return binary(BinaryOp::Divide, a, b, to_floating(promote_types(a.dtype(), b.dtype())), "divide");
}
array negative(const array& a) {
  if (a.dtype() == Dtype::bool_) fail("negative", "The negative of a bool is not supported; use logical_not.");
  return unary(UnaryOp::Negative, a, a.dtype());
}

// ---- unary: keep integer dtypes ------------------------------------------------------

array abs(const array& a) {
  if (is_unsigned(a.dtype()) || a.dtype() == Dtype::bool_) return a;
  // As MLX: the modulus in a complex array, then its real part as float32.
  if (is_complex(a.dtype())) return astype(unary(UnaryOp::Abs, a, a.dtype()), Dtype::float32);
  return unary(UnaryOp::Abs, a, a.dtype());
}
array sign(const array& a) {
  if (a.dtype() == Dtype::bool_) return a;
  return unary(UnaryOp::Sign, a, a.dtype());
}
array square(const array& a) {
  if (a.dtype() == Dtype::bool_) return a;  // x * x == x for booleans
  return unary(UnaryOp::Square, a, a.dtype());
}
array round(const array& a, int decimals) {
  reject_complex(a.dtype(), "round");
  if (decimals == 0) return is_floating(a.dtype()) ? unary(UnaryOp::Round, a, a.dtype()) : a;
  Dtype t = to_floating(a.dtype());
  array x = astype(a, t);
  // As NumPy: multiply/divide by the exact power of ten (10^-d is not exact).
  array s = array::scalar(std::pow(10.0, std::abs(decimals)), t);
  array r = decimals > 0 ? divide(unary(UnaryOp::Round, multiply(x, s), t), s)
                         : multiply(unary(UnaryOp::Round, divide(x, s), t), s);
  return astype(r, a.dtype());
}

// ---- unary: promote to float -------------------------------------------------------------

array reciprocal(const array& a) {
  Dtype t = to_floating(a.dtype());
  return divide(array::scalar(1, t), a);
}
array degrees(const array& a) {
  Dtype t = to_floating(a.dtype());
  return multiply(astype(a, t), array::scalar(180.0 / M_PI, t));
}
array radians(const array& a) {
  Dtype t = to_floating(a.dtype());
  return multiply(astype(a, t), array::scalar(M_PI / 180.0, t));
}

// ---- binary ---------------------------------------------------------------------------

array floor_divide(const array& a, const array& b) {
  return binary(BinaryOp::FloorDivide, a, b, division_dtype(a, b, "floor_divide"), "floor_divide");
}
array remainder(const array& a, const array& b) {
  return binary(BinaryOp::Remainder, a, b, division_dtype(a, b, "remainder"), "remainder");
}
std::vector<array> divmod(const array& a, const array& b) {
  Dtype t = division_dtype(a, b, "divmod");
  Shape shape = broadcast_shapes(a.shape(), b.shape(), "divmod");
  std::vector<array> ins{broadcast_to(astype(a, t), shape), broadcast_to(astype(b, t), shape)};
  return array::make_arrays({shape, shape}, {t, t}, std::make_shared<DivMod>(), ins);
}
array power(const array& a, const array& b) {
  Dtype t = promote_types(a.dtype(), b.dtype());
  if (t == Dtype::bool_) fail("power", "Not supported for bool; cast to an integer dtype first.");
  return binary(BinaryOp::Power, a, b, t, "power");
}
array maximum(const array& a, const array& b) {
  return binary(BinaryOp::Maximum, a, b, promote_types(a.dtype(), b.dtype()), "maximum");
}
array minimum(const array& a, const array& b) {
  return binary(BinaryOp::Minimum, a, b, promote_types(a.dtype(), b.dtype()), "minimum");
}
array logaddexp(const array& a, const array& b) {
  reject_complex(promote_types(a.dtype(), b.dtype()), "logaddexp");
  return binary(BinaryOp::LogAddExp, a, b, to_floating(promote_types(a.dtype(), b.dtype())), "logaddexp");
}
array arctan2(const array& a, const array& b) {
  reject_complex(promote_types(a.dtype(), b.dtype()), "arctan2");
  return binary(BinaryOp::ArcTan2, a, b, to_floating(promote_types(a.dtype(), b.dtype())), "arctan2");
}

// ---- logical --------------------------------------------------------------------------

array logical_not(const array& a) { return unary(UnaryOp::LogicalNot, astype(a, Dtype::bool_), Dtype::bool_); }
array logical_and(const array& a, const array& b) {
  return binary(BinaryOp::LogicalAnd, a, b, Dtype::bool_, "logical_and");
}
array logical_or(const array& a, const array& b) {
  return binary(BinaryOp::LogicalOr, a, b, Dtype::bool_, "logical_or");
}

// complex64: NaN or infinite when either part is; finite when both are. (z != z holds
// exactly when a part is NaN; imag's product with -i is not used where a part may be NaN.)
array isnan(const array& a) {
  if (is_complex(a.dtype())) return not_equal(a, a);
  return is_floating(a.dtype()) ? unary(UnaryOp::IsNan, a, Dtype::bool_) : filled(a, false);
}
array isinf(const array& a) {
  if (is_complex(a.dtype())) return logical_or(isinf(real(a)), isinf(imag(a)));
  return is_floating(a.dtype()) ? unary(UnaryOp::IsInf, a, Dtype::bool_) : filled(a, false);
}
array isfinite(const array& a) {
  if (is_complex(a.dtype())) return logical_not(logical_or(isnan(a), isinf(a)));
  return is_floating(a.dtype()) ? unary(UnaryOp::IsFinite, a, Dtype::bool_) : filled(a, true);
}
array isposinf(const array& a) {
  reject_complex(a.dtype(), "isposinf");
  return is_floating(a.dtype()) ? unary(UnaryOp::IsPosInf, a, Dtype::bool_) : filled(a, false);
}
array isneginf(const array& a) {
  reject_complex(a.dtype(), "isneginf");
  return is_floating(a.dtype()) ? unary(UnaryOp::IsNegInf, a, Dtype::bool_) : filled(a, false);
}

// ---- bitwise ----------------------------------------------------------------------------

array bitwise_and(const array& a, const array& b) {
  return binary(BinaryOp::BitwiseAnd, a, b, bitwise_dtype(a, b, "bitwise_and"), "bitwise_and");
}
array bitwise_or(const array& a, const array& b) {
  return binary(BinaryOp::BitwiseOr, a, b, bitwise_dtype(a, b, "bitwise_or"), "bitwise_or");
}
array bitwise_xor(const array& a, const array& b) {
  return binary(BinaryOp::BitwiseXor, a, b, bitwise_dtype(a, b, "bitwise_xor"), "bitwise_xor");
}
array bitwise_invert(const array& a) {
  if (is_inexact(a.dtype())) fail("bitwise_invert", "Bitwise inverse only allowed on integer types.");
  if (a.dtype() == Dtype::bool_) return logical_not(a);
  return unary(UnaryOp::BitwiseInvert, a, a.dtype());
}
array left_shift(const array& a, const array& b) {
  Dtype t = bitwise_dtype(a, b, "left_shift");
  if (t == Dtype::bool_) t = Dtype::uint8;
  return binary(BinaryOp::LeftShift, a, b, t, "left_shift");
}
array right_shift(const array& a, const array& b) {
  Dtype t = bitwise_dtype(a, b, "right_shift");
  if (t == Dtype::bool_) t = Dtype::uint8;
  return binary(BinaryOp::RightShift, a, b, t, "right_shift");
}

// ---- complex parts ----------------------------------------------------------------------

// Real inputs: real is the array, imag zeros and conjugate the array, as MLX. The parts of
// a complex array are casts (astype keeps the real part), so their gradients are astype's:
// real's vjp is the cotangent as complex, imag's is -i times it (MLX's rules).
array real(const array& a) {
  return is_complex(a.dtype()) ? astype(a, Dtype::float32) : a;
}
array imag(const array& a) {
  if (!is_complex(a.dtype())) return zeros_like(a);
  // Re(-i * (x + iy)) = y.
  array minus_i = array::from_vector(std::vector<complex64_t>{complex64_t(0.0f, -1.0f)}, {}, Dtype::complex64);
  return astype(multiply(minus_i, a), Dtype::float32);
}
array conjugate(const array& a) {
  if (!is_complex(a.dtype())) return a;
  return unary(UnaryOp::Conjugate, a, a.dtype());
}

// ---- clip and nan_to_num ----------------------------------------------------------------

array clip(const array& a, const std::optional<array>& a_min, const std::optional<array>& a_max) {
  if (!a_min && !a_max) fail("clip", "At most one of a_min and a_max may be None.");
  array out = a;
  if (a_min) out = maximum(out, *a_min);
  if (a_max) out = minimum(out, *a_max);
  return out;
}

array nan_to_num(const array& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  reject_complex(a.dtype(), "nan_to_num");
  if (!is_floating(a.dtype())) return a;
  double hi = dtype_max(a.dtype());
  auto prim = std::make_shared<NanToNum>(nan, posinf.value_or(hi), neginf.value_or(-hi));
  return array(a.shape(), a.dtype(), std::move(prim), {a});
}

}  // namespace mlx

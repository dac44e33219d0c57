// The functors of the element-wise family, one per op of elementwise_table.h (ew::Name),
// plus NanToNum. They take compute_t<T> values (float for the 16-bit floats) and are run
// by the unary/binary kernel templates and by compile's fused kernel. A float32 fast
// path is optional: `static void span_f32(x, y, n)` (unary, kernels/unary.h) or
// `static v128_t f32x4(v128_t, v128_t)` (binary, wasm SIMD128, kernels/binary_span.h). Integer functors are written
// so that no input can trap in wasm (division by zero, INT_MIN / -1) or hit undefined
// behaviour (signed overflow, out-of-range shifts): the defined results are documented
// on each functor and follow NumPy where NumPy defines one.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "complex_type.h"
#include "simd128.h"
#include "vec_exp.h"
#include "wrapping.h"

namespace mlx {

namespace ew {

template <typename T>
constexpr bool is_int = std::is_integral_v<T> && !std::is_same_v<T, bool>;

using mlx::wide_unsigned_t;
using mlx::wrap_add;
using mlx::wrap_mul;
using mlx::wrap_sub;

// ---- unary ------------------------------------------------------------------------

struct Negative {
  template <typename T>
  T operator()(T x) const {
    if constexpr (is_int<T>) return wrap_sub(T(0), x);  // -INT_MIN wraps to INT_MIN
    else return -x;
  }
};
struct Exp {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_same_v<T, float>) return exp_f32(x);  // as the vectorised path
    else return std::exp(x);
  }
  // The vectorised float32 form (float32 and the 16-bit floats use it; float64 stays exact).
  static void span_f32(const float* x, float* y, size_t n) { exp_span(x, y, n); }
};
struct Log {
  template <typename T>
  T operator()(T x) const {
    return std::log(x);
  }
};
struct Tanh {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_same_v<T, float>) return tanh_f32(x);
    else return std::tanh(x);
  }
  static void span_f32(const float* x, float* y, size_t n) { tanh_span(x, y, n); }
};

struct Abs {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_unsigned_v<T>) {
      return x;
    } else if constexpr (is_int<T>) {
      // Through unsigned so abs(INT_MIN) wraps to INT_MIN (as NumPy) instead of overflowing.
      using W = wide_unsigned_t<T>;
      return x < 0 ? static_cast<T>(W(0) - static_cast<W>(x)) : x;
    } else {
      return std::abs(x);
    }
  }
};

// -1, 0 or 1; NaN stays NaN (NumPy). complex64: x / |x| (0 at 0), as MLX.
struct Sign {
  template <typename T>
  T operator()(T x) const {
    if constexpr (is_complex_type<T>::value) {
      float m = std::abs(x);
      return m == 0 ? T(0) : T(x.real() / m, x.imag() / m);
    } else if constexpr (std::is_unsigned_v<T>) {
      return x != 0 ? T(1) : T(0);
    } else {
      if constexpr (!std::is_integral_v<T>) {
        if (std::isnan(x)) return x;
      }
      return x > 0 ? T(1) : (x < 0 ? T(-1) : T(0));
    }
  }
};

struct Square {
  template <typename T>
  T operator()(T x) const {
    if constexpr (is_int<T>) {
      using W = wide_unsigned_t<T>;
      return static_cast<T>(static_cast<W>(x) * static_cast<W>(x));
    } else {
      return x * x;
    }
  }
};

#define MLX_EW_FLOAT_UNARY(NAME, EXPR) \
  struct NAME {                        \
    template <typename T>              \
    T operator()(T x) const {          \
      return EXPR;                     \
    }                                  \
  };

MLX_EW_FLOAT_UNARY(Sqrt, std::sqrt(x))
MLX_EW_FLOAT_UNARY(Rsqrt, T(1) / T(std::sqrt(x)))  // T(): complex64_t / std::complex is ambiguous
MLX_EW_FLOAT_UNARY(Expm1, std::expm1(x))
MLX_EW_FLOAT_UNARY(Log2, std::log2(x))
MLX_EW_FLOAT_UNARY(Log10, std::log10(x))
MLX_EW_FLOAT_UNARY(Log1p, std::log1p(x))
MLX_EW_FLOAT_UNARY(Sin, std::sin(x))
MLX_EW_FLOAT_UNARY(Cos, std::cos(x))
MLX_EW_FLOAT_UNARY(Tan, std::tan(x))
MLX_EW_FLOAT_UNARY(ArcSin, std::asin(x))
MLX_EW_FLOAT_UNARY(ArcCos, std::acos(x))
MLX_EW_FLOAT_UNARY(ArcTan, std::atan(x))
MLX_EW_FLOAT_UNARY(Sinh, std::sinh(x))
MLX_EW_FLOAT_UNARY(Cosh, std::cosh(x))
MLX_EW_FLOAT_UNARY(ArcSinh, std::asinh(x))
MLX_EW_FLOAT_UNARY(ArcCosh, std::acosh(x))
MLX_EW_FLOAT_UNARY(ArcTanh, std::atanh(x))
MLX_EW_FLOAT_UNARY(Erf, std::erf(x))
MLX_EW_FLOAT_UNARY(Ceil, std::ceil(x))
MLX_EW_FLOAT_UNARY(Floor, std::floor(x))
MLX_EW_FLOAT_UNARY(Trunc, std::trunc(x))
// Half to even: rint in the default rounding mode.
MLX_EW_FLOAT_UNARY(Round, std::rint(x))
#undef MLX_EW_FLOAT_UNARY

// 1 / (1 + e^-x), written so neither branch overflows.
struct Sigmoid {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_same_v<T, float>) return sigmoid_f32(x);  // as the vectorised path
    if (x >= 0) return T(1) / (T(1) + std::exp(-x));
    T e = std::exp(x);
    return e / (T(1) + e);
  }
  static void span_f32(const float* x, float* y, size_t n) { sigmoid_span(x, y, n); }
};

// Inverse of erf on (-1, 1); +-inf at +-1, NaN outside. A rational first guess (Giles,
// "Approximating the erfinv function", 2010) refined by Newton steps on erf in double,
// which brings it to double precision.
struct ErfInv {
  template <typename T>
  T operator()(T y) const {
    double v = static_cast<double>(y);
    if (std::isnan(v) || v < -1 || v > 1) return T(std::numeric_limits<double>::quiet_NaN());
    if (v == 1) return T(std::numeric_limits<double>::infinity());
    if (v == -1) return T(-std::numeric_limits<double>::infinity());
    double w = -std::log((1.0 - v) * (1.0 + v)), p;
    if (w < 5.0) {
      w -= 2.5;
      p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w;
      p = -3.5233877e-06 + p * w;
      p = -4.39150654e-06 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
    } else {
      w = std::sqrt(w) - 3.0;
      p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
    }
    double x = p * v;
    const double two_over_sqrt_pi = 1.1283791670955126;
    for (int i = 0; i < 3; ++i) {
      double d = two_over_sqrt_pi * std::exp(-x * x);
      if (d == 0) break;
      x -= (std::erf(x) - v) / d;
    }
    return T(x);
  }
};

// Replaces NaN and infinities by given values (already in range for the dtype).
struct NanToNum {
  double nan, posinf, neginf;
  template <typename T>
  T operator()(T x) const {
    if (std::isnan(x)) return T(nan);
    if (std::isinf(x)) return T(x > 0 ? posinf : neginf);
    return x;
  }
};

// Floating-point class predicates (bool output).
struct IsNan {
  template <typename T>
  bool operator()(T x) const { return std::isnan(x); }
};
struct IsInf {
  template <typename T>
  bool operator()(T x) const { return std::isinf(x); }
};
struct IsFinite {
  template <typename T>
  bool operator()(T x) const { return std::isfinite(x); }
};
struct IsPosInf {
  template <typename T>
  bool operator()(T x) const { return std::isinf(x) && x > 0; }
};
struct IsNegInf {
  template <typename T>
  bool operator()(T x) const { return std::isinf(x) && x < 0; }
};

struct LogicalNot {
  bool operator()(bool x) const { return !x; }
};

// The complex conjugate; real values are their own conjugate.
struct Conjugate {
  template <typename T>
  T operator()(T x) const {
    if constexpr (is_complex_type<T>::value) return T(x.real(), -x.imag());
    else return x;
  }
};

// ~x on integers (bool goes through logical_not in the op).
struct BitwiseInvert {
  template <typename T>
  T operator()(T x) const { return static_cast<T>(~x); }
};

// ---- binary -------------------------------------------------------------------------

struct Add {
  template <typename T>
  T operator()(T a, T b) const {
    return wrap_add(a, b);
  }
#if MLX_SIMD128
  static v128_t f32x4(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
#endif
};
struct Subtract {
  template <typename T>
  T operator()(T a, T b) const {
    return wrap_sub(a, b);
  }
#if MLX_SIMD128
  static v128_t f32x4(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }
#endif
};
struct Multiply {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) {
      return a && b;
    } else {
      return wrap_mul(a, b);
    }
  }
#if MLX_SIMD128
  static v128_t f32x4(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
#endif
};
struct Divide {
  template <typename T>
  T operator()(T a, T b) const {
    return a / b;
  }
#if MLX_SIMD128
  static v128_t f32x4(v128_t a, v128_t b) { return wasm_f32x4_div(a, b); }
#endif
};

// Floors like NumPy: -7 // 2 == -4. Integer x // 0 == 0 (NumPy's result, without its
// warning) and INT_MIN // -1 wraps to INT_MIN; floats compute floor(a / b) as MLX does.
struct FloorDivide {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (is_int<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        using W = wide_unsigned_t<T>;
        if (b == -1) return static_cast<T>(W(0) - static_cast<W>(a));
        T q = static_cast<T>(a / b);
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
      } else {
        return static_cast<T>(a / b);
      }
    } else {
      return std::floor(a / b);
    }
  }
};

// The remainder with the divisor's sign (NumPy): a - b * floor(a / b). Integer x % 0 == 0
// (NumPy's result). For floats: fmod corrected to b's sign; a zero result takes b's sign
// and x % 0 is NaN, as NumPy.
struct Remainder {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (is_int<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T(0);  // avoids the INT_MIN % -1 trap
        T r = static_cast<T>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
        return r;
      } else {
        return static_cast<T>(a % b);
      }
    } else {
      T r = std::fmod(a, b);
      if (b == 0) return r;
      if (r != 0) {
        if ((b < 0) != (r < 0)) r += b;
      } else {
        r = std::copysign(T(0), b);
      }
      return r;
    }
  }
};

// Integer powers by squaring with wrap-around. A negative exponent on integers gives the
// truncated value of 1 / a^-b: 1 for a == 1, +-1 for a == -1, 0 otherwise (NumPy raises
// instead; a lazily evaluated kernel cannot).
struct Power {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (is_int<T>) {
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) {
          if (a == 1) return T(1);
          if (a == -1) return (b & 1) ? T(-1) : T(1);
          return T(0);
        }
      }
      using W = wide_unsigned_t<T>;
      W r = 1, base = static_cast<W>(a);
      auto e = static_cast<std::make_unsigned_t<T>>(b);
      while (e) {
        if (e & 1) r *= base;
        e >>= 1;
        base *= base;
      }
      return static_cast<T>(r);
    } else {
      return std::pow(a, b);
    }
  }
};

// NaN in either operand gives NaN (NumPy's maximum/minimum, not fmax/fmin).
// complex64: MLX's lexicographic order, NaN in either part propagating.
struct Maximum {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (is_complex_type<T>::value) {
      if (complex_isnan(a)) return a;
      if (complex_isnan(b)) return b;
    } else if constexpr (!std::is_integral_v<T>) {
      if (std::isnan(a)) return a;
      if (std::isnan(b)) return b;
    }
    return a >= b ? a : b;  // NumPy: the first operand on ties (0 vs -0)
  }
};
struct Minimum {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (is_complex_type<T>::value) {
      if (complex_isnan(a)) return a;
      if (complex_isnan(b)) return b;
    } else if constexpr (!std::is_integral_v<T>) {
      if (std::isnan(a)) return a;
      if (std::isnan(b)) return b;
    }
    return a <= b ? a : b;
  }
};

// log(e^a + e^b) without overflow.
struct LogAddExp {
  template <typename T>
  T operator()(T a, T b) const {
    if (std::isnan(a) || std::isnan(b)) return a + b;
    T hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == std::numeric_limits<T>::infinity() || lo == -std::numeric_limits<T>::infinity()) return hi;
    return hi + std::log1p(std::exp(lo - hi));
  }
};

struct ArcTan2 {
  template <typename T>
  T operator()(T a, T b) const { return std::atan2(a, b); }
};

struct LogicalAnd {
  bool operator()(bool a, bool b) const { return a && b; }
};
struct LogicalOr {
  bool operator()(bool a, bool b) const { return a || b; }
};

struct BitwiseAnd {
  template <typename T>
  T operator()(T a, T b) const { return static_cast<T>(a & b); }
};
struct BitwiseOr {
  template <typename T>
  T operator()(T a, T b) const { return static_cast<T>(a | b); }
};
struct BitwiseXor {
  template <typename T>
  T operator()(T a, T b) const { return static_cast<T>(a ^ b); }
};

// Shift counts outside [0, bits) are defined as NumPy defines them: a left shift gives 0,
// a right shift gives 0 (or -1 for a negative signed value: all sign bits).
template <typename T>
bool shift_in_range(T b) {
  if constexpr (std::is_signed_v<T>) {
    if (b < 0) return false;
  }
  return static_cast<uint64_t>(b) < sizeof(T) * 8;
}
struct LeftShift {
  template <typename T>
  T operator()(T a, T b) const {
    if (!shift_in_range(b)) return T(0);
    using W = wide_unsigned_t<T>;
    return static_cast<T>(static_cast<W>(a) << static_cast<int>(b));
  }
};
struct RightShift {
  template <typename T>
  T operator()(T a, T b) const {
    if (!shift_in_range(b)) {
      if constexpr (std::is_signed_v<T>) {
        return a < 0 ? T(-1) : T(0);
      } else {
        return T(0);
      }
    }
    return static_cast<T>(a >> static_cast<int>(b));
  }
};

}  // namespace ew

}  // namespace mlx

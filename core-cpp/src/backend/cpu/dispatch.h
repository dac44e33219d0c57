// Dtype dispatch: turns a runtime Dtype into a compile-time type so kernels are written
// once as templates and instantiated per dtype.
#pragma once

#include <limits>
#include <stdexcept>
#include <type_traits>
#include <string>

#include "dtype.h"

namespace mlx {

template <typename T>
struct type_tag {
  using type = T;
};

// Calls f(type_tag<T>{}) for the storage type T of `t`.
template <typename F>
decltype(auto) dispatch_all(Dtype t, F&& f) {
  switch (t) {
    case Dtype::bool_: return f(type_tag<bool>{});
    case Dtype::uint8: return f(type_tag<uint8_t>{});
    case Dtype::uint16: return f(type_tag<uint16_t>{});
    case Dtype::uint32: return f(type_tag<uint32_t>{});
    case Dtype::uint64: return f(type_tag<uint64_t>{});
    case Dtype::int8: return f(type_tag<int8_t>{});
    case Dtype::int16: return f(type_tag<int16_t>{});
    case Dtype::int32: return f(type_tag<int32_t>{});
    case Dtype::int64: return f(type_tag<int64_t>{});
    case Dtype::float16: return f(type_tag<float16_t>{});
    case Dtype::float32: return f(type_tag<float>{});
    case Dtype::float64: return f(type_tag<double>{});
    case Dtype::bfloat16: return f(type_tag<bfloat16_t>{});
    case Dtype::complex64: return f(type_tag<complex64_t>{});
  }
  throw std::invalid_argument("[dispatch] Unknown dtype.");
}

// Only the floating types (kernels of ops that promote their inputs to floats).
template <typename F>
decltype(auto) dispatch_floating(Dtype t, const char* op, F&& f) {
  switch (t) {
    case Dtype::float16: return f(type_tag<float16_t>{});
    case Dtype::float32: return f(type_tag<float>{});
    case Dtype::float64: return f(type_tag<double>{});
    case Dtype::bfloat16: return f(type_tag<bfloat16_t>{});
    default:
      throw std::invalid_argument(std::string("[") + op + "] Expected a floating point dtype, got " +
                                  dtype_name(t) + ".");
  }
}

// Float to integer, one defined rule on every backend (a plain cast of NaN, Inf or an
// out-of-range value is undefined behaviour in C++, traps or saturates in wasm and gives
// INT_MIN on x86): NaN becomes 0, values beyond the integer type's range clamp to its
// min/max (saturation, as ARM's and wasm's saturating conversions do), others truncate
// toward zero. docs/ops.md states the rule.
template <typename Out, typename F>
inline Out float_to_int(F x) {
  using L = std::numeric_limits<Out>;
  if (x != x) return Out(0);
  // The limits in double are exact (or, for the 64-bit types' max, rounded up to 2^63 or
  // 2^64, which no value below them reaches), so the comparisons decide exactly which fit.
  constexpr double lo = static_cast<double>(L::min());
  constexpr double hi = static_cast<double>(L::max());
  double d = static_cast<double>(x);
  if (d <= lo) return L::min();
  if (d >= hi) return L::max();
  return static_cast<Out>(x);
}

// Converts between storage types, going through float32 for the 16-bit floats. complex64
// as MLX converts it: a real value becomes (x, 0); a complex value becomes its real part
// in a real type, and true in bool when either part is non-zero.
template <typename Out, typename In>
inline Out convert(In x) {
  if constexpr (std::is_same_v<Out, In>) {
    return x;
  } else if constexpr (is_complex_type<In>::value) {
    if constexpr (std::is_same_v<Out, bool>) return static_cast<bool>(x);
    else return convert<Out>(x.real());
  } else if constexpr (is_complex_type<Out>::value) {
    return Out(convert<float>(x), 0.0f);
  } else if constexpr (is_half<Out>::value) {
    return Out(static_cast<float>(x));
  } else if constexpr (is_half<In>::value) {
    return convert<Out>(static_cast<float>(x));
  } else if constexpr (std::is_floating_point_v<In> && std::is_integral_v<Out> && !std::is_same_v<Out, bool>) {
    return float_to_int<Out>(x);
  } else {
    return static_cast<Out>(x);
  }
}

}  // namespace mlx

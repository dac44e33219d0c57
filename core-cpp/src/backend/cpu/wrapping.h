// Two's-complement integer arithmetic on purpose: +, - and * on integers go through the
// unsigned type of at least 32 bits, so int32/int64 overflow wraps (as MLX's results do on
// Apple silicon) instead of being undefined behaviour, and uint16 * uint16 cannot overflow
// int after C++'s promotion. Floats (and bool, complex) use the plain operators.
#pragma once

#include <cstdint>
#include <type_traits>

namespace mlx {

template <typename T>
constexpr bool is_wrapping_int = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Unsigned type at least 32 bits wide with T's width or more: arithmetic in it wraps
// (small unsigned types would promote to int, where overflow is undefined).
template <typename T>
using wide_unsigned_t = std::conditional_t<(sizeof(T) <= 4), uint32_t, uint64_t>;

template <typename T>
inline T wrap_add(T a, T b) {
  if constexpr (is_wrapping_int<T>) return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) + static_cast<wide_unsigned_t<T>>(b));
  else return a + b;
}
template <typename T>
inline T wrap_sub(T a, T b) {
  if constexpr (is_wrapping_int<T>) return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) - static_cast<wide_unsigned_t<T>>(b));
  else return a - b;
}
template <typename T>
inline T wrap_mul(T a, T b) {
  if constexpr (is_wrapping_int<T>) return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) * static_cast<wide_unsigned_t<T>>(b));
  else return a * b;
}

}  // namespace mlx

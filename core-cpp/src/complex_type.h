// complex64 storage: two float32s, real then imaginary (the interleaved layout MLX and
// NumPy use). Arithmetic is std::complex<float>'s. What MLX defines beyond it is added
// here: ordering is lexicographic (real part first, then imaginary), a complex value is
// true when either part is non-zero, and converting to a real type keeps the real part.
// The conversions are explicit so that no kernel mixes a complex value into real
// arithmetic by accident; dispatch.h's convert<> is the one place that crosses over.
#pragma once

#include <cmath>
#include <complex>
#include <type_traits>

#include "half_types.h"

namespace mlx {

struct complex64_t : std::complex<float> {
  complex64_t() : std::complex<float>() {}
  complex64_t(float re, float im) : std::complex<float>(re, im) {}
  complex64_t(const std::complex<float>& v) : std::complex<float>(v) {}
  // From any real value (int, float, double, the 16-bit floats): imaginary part zero.
  // Implicit, so the T(0) / T(1) of generic kernels (identities, gemm) work.
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T> || is_half<T>::value>>
  complex64_t(T x) : std::complex<float>(static_cast<float>(x), 0.0f) {}

  explicit operator bool() const { return real() != 0 || imag() != 0; }

  // Hidden friends (found only for complex64_t operands, so a float16_t + float16_t never
  // considers them). std::complex's operators return std::complex<float>; these keep the type.
  using base = std::complex<float>;
  friend complex64_t operator+(const complex64_t& a, const complex64_t& b) { return base(a) + base(b); }
  friend complex64_t operator-(const complex64_t& a, const complex64_t& b) { return base(a) - base(b); }
  friend complex64_t operator*(const complex64_t& a, const complex64_t& b) { return base(a) * base(b); }
  friend complex64_t operator/(const complex64_t& a, const complex64_t& b) { return base(a) / base(b); }
  friend complex64_t operator-(const complex64_t& a) { return -base(a); }
  friend complex64_t& operator+=(complex64_t& a, const complex64_t& b) { return a = a + b; }
  friend complex64_t& operator*=(complex64_t& a, const complex64_t& b) { return a = a * b; }

  // MLX's ordering of complex values: by real part, ties broken by the imaginary part.
  friend bool operator>(const complex64_t& a, const complex64_t& b) {
    return a.real() > b.real() || (a.real() == b.real() && a.imag() > b.imag());
  }
  friend bool operator>=(const complex64_t& a, const complex64_t& b) {
    return a.real() > b.real() || (a.real() == b.real() && a.imag() >= b.imag());
  }
  friend bool operator<(const complex64_t& a, const complex64_t& b) { return b > a; }
  friend bool operator<=(const complex64_t& a, const complex64_t& b) { return b >= a; }
};

template <typename T>
struct is_complex_type : std::false_type {};
template <>
struct is_complex_type<complex64_t> : std::true_type {};

inline bool complex_isnan(const complex64_t& v) { return std::isnan(v.real()) || std::isnan(v.imag()); }

}  // namespace mlx

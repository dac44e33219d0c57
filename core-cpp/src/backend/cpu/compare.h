// Comparison kernels: the binary family's loop (binary_kernel) with a bool output and
// predicate functors. The op has promoted both inputs to one dtype and broadcast them.
#pragma once

#include <cmath>
#include <type_traits>

#include "binary.h"

namespace mlx {

namespace detail {
template <typename T>
bool is_nan(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(x);
  } else if constexpr (is_complex_type<T>::value) {
    return complex_isnan(x);
  } else {
    return false;
  }
}
}  // namespace detail

// equal_nan makes NaN == NaN (array_equal's option); otherwise NaN equals nothing.
struct EqualOp {
  bool equal_nan = false;
  template <typename T>
  bool operator()(T a, T b) const {
    return a == b || (equal_nan && detail::is_nan(a) && detail::is_nan(b));
  }
};
struct NotEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a != b;
  }
};
struct GreaterOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a > b;
  }
};
struct GreaterEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a >= b;
  }
};
struct LessOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a < b;
  }
};
struct LessEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a <= b;
  }
};

// NumPy's isclose: |a - b| <= atol + rtol * |b|, computed in double; infinities are close
// only to themselves, NaN only to NaN and only with equal_nan.
struct IsCloseOp {
  double rtol, atol;
  bool equal_nan;
  template <typename T>
  bool operator()(T a_in, T b_in) const {
    if constexpr (is_complex_type<T>::value) {
      // The same test on complex values: |a - b| is the modulus of the difference.
      if (a_in == b_in) return true;
      bool na = complex_isnan(a_in), nb = complex_isnan(b_in);
      if (na || nb) return equal_nan && na && nb;
      auto inf = [](T v) { return std::isinf(v.real()) || std::isinf(v.imag()); };
      if (inf(a_in) || inf(b_in)) return false;
      std::complex<double> a(a_in.real(), a_in.imag()), b(b_in.real(), b_in.imag());
      return std::abs(a - b) <= atol + rtol * std::abs(b);
    } else {
      double a = static_cast<double>(a_in), b = static_cast<double>(b_in);
      if (a == b) return true;
      bool na = std::isnan(a), nb = std::isnan(b);
      if (na || nb) return equal_nan && na && nb;
      if (std::isinf(a) || std::isinf(b)) return false;
      return std::fabs(a - b) <= atol + rtol * std::fabs(b);
    }
  }
};

// Runs a predicate over two inputs of one dtype into a bool output.
template <typename Op>
void compare_eval(const array& a, const array& b, array& out, Op op) {
  dispatch_all(a.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    binary_kernel<T, bool>(a, b, out, op);
  });
}

}  // namespace mlx

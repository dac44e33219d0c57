// Reducers: how the reduction and scan kernels fold values. Each has init() (the identity,
// which is also an empty reduction's result and an exclusive scan's first output) and
// combine(acc, x). Acc is compute_t of the storage type (float for 16-bit floats).
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "complex_type.h"
#include "wrapping.h"

namespace mlx {

template <typename Acc>
struct SumReducer {
  static Acc init() { return Acc(0); }
  static Acc combine(Acc a, Acc b) { return wrap_add(a, b); }
};

template <typename Acc>
struct ProdReducer {
  static Acc init() { return Acc(1); }
  static Acc combine(Acc a, Acc b) {
    if constexpr (std::is_same_v<Acc, bool>) {
      return a && b;
    } else {
      return wrap_mul(a, b);
    }
  }
};

template <typename Acc>
struct AndReducer {
  static Acc init() { return Acc(true); }
  static Acc combine(Acc a, Acc b) { return a && b; }
};

template <typename Acc>
struct OrReducer {
  static Acc init() { return Acc(false); }
  static Acc combine(Acc a, Acc b) { return a || b; }
};

// Max and min share one rule: `better(a, b)` says a should replace b. NaN wins, as in
// MLX and NumPy (once a NaN is in the accumulator nothing replaces it).
template <typename Acc, bool IsMax>
struct ExtremumReducer {
  static Acc init() {
    if constexpr (std::is_same_v<Acc, bool>) {
      return !IsMax;
    } else if constexpr (is_complex_type<Acc>::value) {
      // complex64 orders lexicographically (MLX): (-inf, -inf) is below everything.
      float inf = std::numeric_limits<float>::infinity();
      return IsMax ? Acc(-inf, -inf) : Acc(inf, inf);
    } else if constexpr (std::numeric_limits<Acc>::has_infinity) {
      return IsMax ? -std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::infinity();
    } else {
      return IsMax ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
    }
  }
  // One select, no branch, so the compiler vectorises the loops over it: `a != a` is a's
  // NaN test, and when b is NaN the comparison is false, so b (the NaN) is kept; ties keep b.
  static Acc combine(Acc a, Acc b) {
    if constexpr (std::is_floating_point_v<Acc>) {
      return ((IsMax ? a > b : a < b) || a != a) ? a : b;
    } else if constexpr (is_complex_type<Acc>::value) {
      // The lexicographic order compares real parts first, so a NaN imaginary part does not
      // make the comparison false as a float NaN would: a NaN accumulator is kept explicitly.
      if (complex_isnan(b)) return b;
      return ((IsMax ? a > b : a < b) || complex_isnan(a)) ? a : b;
    } else {
      return (IsMax ? a > b : a < b) ? a : b;
    }
  }
};
template <typename Acc>
using MaxReducer = ExtremumReducer<Acc, true>;
template <typename Acc>
using MinReducer = ExtremumReducer<Acc, false>;

// log(exp(a) + exp(b)) without overflow; -inf is its identity.
template <typename Acc>
struct LogAddExpReducer {
  static Acc init() { return -std::numeric_limits<Acc>::infinity(); }
  static Acc combine(Acc a, Acc b) {
    if (std::isnan(a) || std::isnan(b)) return a + b;
    Acc hi = a > b ? a : b, lo = a > b ? b : a;
    if (lo == -std::numeric_limits<Acc>::infinity() || hi == std::numeric_limits<Acc>::infinity()) return hi;
    return hi + std::log1p(std::exp(lo - hi));
  }
};

}  // namespace mlx

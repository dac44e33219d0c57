// Dtype kinds for element-wise kernels: a functor names the kinds it supports and the
// kernel is instantiated only for those dtypes (keeps the wasm small); any other dtype
// is an Error naming the op.
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

#include "dispatch.h"

namespace mlx {

enum class Kinds {
  All,
  Numeric,   // everything but bool (complex64 included)
  Floating,  // float16, bfloat16, float32, float64
  Inexact,   // the floating types and complex64
  Real,      // everything but bool and complex64
  Integral,  // integers and bool
  Integer,   // integers only
  Bool,
};

template <Kinds K, typename T>
constexpr bool kind_supports() {
  constexpr bool b = std::is_same_v<T, bool>;
  constexpr bool f = is_half<T>::value || std::is_floating_point_v<T>;
  constexpr bool c = is_complex_type<T>::value;
  switch (K) {
    case Kinds::All: return true;
    case Kinds::Numeric: return !b;
    case Kinds::Floating: return f;
    case Kinds::Inexact: return f || c;
    case Kinds::Real: return !b && !c;
    case Kinds::Integral: return !f && !c;
    case Kinds::Integer: return !f && !b && !c;
    case Kinds::Bool: return b;
  }
  return false;
}

// Calls f(type_tag<T>{}) for the storage type of `t` if kind K includes it, else throws.
template <Kinds K, typename F>
void dispatch_kinds(Dtype t, const char* op, F&& f) {
  if constexpr (K == Kinds::Floating) {
    dispatch_floating(t, op, f);
  } else {
    dispatch_all(t, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kind_supports<K, T>()) {
        f(tag);
      } else {
        throw std::invalid_argument(std::string("[") + op + "] Not supported for " + dtype_name(t) + ".");
      }
    });
  }
}

}  // namespace mlx

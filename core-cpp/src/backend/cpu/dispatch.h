// Dtype dispatch: turns a runtime Dtype into a compile-time type so kernels are written
// once as templates and instantiated per dtype.
#pragma once

#include <stdexcept>
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
    return static_cast<Out>(static_cast<float>(x));
  } else {
    return static_cast<Out>(x);
  }
}

}  // namespace mlx

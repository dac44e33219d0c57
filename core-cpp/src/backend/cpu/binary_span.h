// The inner loops of the element-wise binary kernels over one dense run:
// z[i] = op(x[i], y[i]) with either input possibly one broadcast value (Mode).
//
// Why not plain `for (int64_t i = lo; i < hi; ++i)` loops: clang 14 vectorises those for
// wasm, but with 64-bit indices every vector costs an i64 add, a wrap to i32 and a shift
// per operand on top of the load/op/store, which made x + 0.5 a third slower than -x.
// Here the run is addressed with 32-bit pointers and sizes, and float32 ops that declare
// a four-lane form (`static v128_t f32x4(v128_t, v128_t)`) run it explicitly, 16 floats
// per iteration. Lane results equal the scalar ones (IEEE add/sub/mul/div), so a value
// does not depend on where a chunk boundary falls.
#pragma once

#include <cstddef>
#include <type_traits>

#include "dispatch.h"
#include "simd128.h"

namespace mlx {

enum class SpanMode { VV, SV, VS };  // vector-vector, scalar x, scalar y

#if MLX_SIMD128
template <typename Op, typename = void>
struct has_f32x4 : std::false_type {};
template <typename Op>
struct has_f32x4<Op, std::void_t<decltype(&Op::f32x4)>> : std::true_type {};
#endif

template <SpanMode M, typename T, typename U, typename Op>
inline void binary_span(const T* x, const T* y, U* z, size_t n, Op op) {
  using C = compute_t<T>;
#if MLX_SIMD128
  if constexpr (std::is_same_v<T, float> && std::is_same_v<U, float> && has_f32x4<Op>::value) {
    size_t i = 0;
    // In place (z == x or z == y) is fine: each vector is loaded before it is stored.
    if constexpr (M == SpanMode::VV) {
      for (; i + 16 <= n; i += 16) {
        v128_t a0 = wasm_v128_load(x + i), a1 = wasm_v128_load(x + i + 4);
        v128_t a2 = wasm_v128_load(x + i + 8), a3 = wasm_v128_load(x + i + 12);
        v128_t b0 = wasm_v128_load(y + i), b1 = wasm_v128_load(y + i + 4);
        v128_t b2 = wasm_v128_load(y + i + 8), b3 = wasm_v128_load(y + i + 12);
        wasm_v128_store(z + i, Op::f32x4(a0, b0));
        wasm_v128_store(z + i + 4, Op::f32x4(a1, b1));
        wasm_v128_store(z + i + 8, Op::f32x4(a2, b2));
        wasm_v128_store(z + i + 12, Op::f32x4(a3, b3));
      }
      for (; i + 4 <= n; i += 4) wasm_v128_store(z + i, Op::f32x4(wasm_v128_load(x + i), wasm_v128_load(y + i)));
      for (; i < n; ++i) z[i] = op(x[i], y[i]);
    } else {
      // One side is a single value: splat it once.
      constexpr bool sx = M == SpanMode::SV;
      const float* v = sx ? y : x;
      v128_t s = wasm_f32x4_splat(sx ? x[0] : y[0]);
      auto f = [&](v128_t a) { return sx ? Op::f32x4(s, a) : Op::f32x4(a, s); };
      for (; i + 16 <= n; i += 16) {
        v128_t a0 = wasm_v128_load(v + i), a1 = wasm_v128_load(v + i + 4);
        v128_t a2 = wasm_v128_load(v + i + 8), a3 = wasm_v128_load(v + i + 12);
        wasm_v128_store(z + i, f(a0));
        wasm_v128_store(z + i + 4, f(a1));
        wasm_v128_store(z + i + 8, f(a2));
        wasm_v128_store(z + i + 12, f(a3));
      }
      for (; i + 4 <= n; i += 4) wasm_v128_store(z + i, f(wasm_v128_load(v + i)));
      const float sv = sx ? x[0] : y[0];
      for (; i < n; ++i) z[i] = sx ? op(sv, v[i]) : op(v[i], sv);
    }
    return;
  }
#endif
  if constexpr (M == SpanMode::VV) {
    for (size_t i = 0; i < n; ++i) z[i] = U(op(C(x[i]), C(y[i])));
  } else if constexpr (M == SpanMode::SV) {
    const C xv = C(x[0]);
    for (size_t i = 0; i < n; ++i) z[i] = U(op(xv, C(y[i])));
  } else {
    const C yv = C(y[0]);
    for (size_t i = 0; i < n; ++i) z[i] = U(op(C(x[i]), yv));
  }
}

}  // namespace mlx

// Four float/int lanes as GCC/clang vector extensions: clang lowers them to wasm SIMD128
// with -msimd128, g++ to SSE2 natively, so one source serves both builds. Shared by the
// kernels written on them (quantized_decode.h, sgemv.cpp).
#pragma once

#include <cstdint>
#include <cstring>

namespace mlx::lanes {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));

inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
inline u32x4 load4(const uint32_t* p) {
  u32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline f32x4 splat(float s) { return f32x4{s, s, s, s}; }
inline u32x4 splat(uint32_t s) { return u32x4{s, s, s, s}; }
inline f32x4 to_float(u32x4 v) { return __builtin_convertvector(reinterpret_cast<i32x4&>(v), f32x4); }
inline float hsum(f32x4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

}  // namespace mlx::lanes

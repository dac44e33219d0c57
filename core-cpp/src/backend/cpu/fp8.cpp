#include "fp8.h"

#include <cmath>

#include "allocator.h"
#include "copy.h"
#include "dispatch.h"

namespace mlx {

uint8_t float_to_fp8_e4m3(float x) {
  uint8_t sign = std::signbit(x) ? 0x80 : 0;
  float a = std::fabs(x);
  if (!(a < 464.0f)) return sign | 0x7E;  // saturate (NaN included), as MLX does
  if (a < 0.015625f) {                     // below 2^-6: subnormals, steps of 2^-9
    // nearbyint rounds half to even in the default rounding mode; 8 (= 2^-6) is the
    // smallest normal's code, so rounding up into it is encoded correctly too.
    return sign | static_cast<uint8_t>(std::nearbyint(a * 512.0f));
  }
  int e;
  float m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  int exp = e - 1;              // a = (2m) * 2^exp, 2m in [1, 2)
  int q = static_cast<int>(std::nearbyint((2.0f * m - 1.0f) * 8.0f));
  if (q == 8) {
    q = 0;
    ++exp;
  }
  return sign | static_cast<uint8_t>(((exp + 7) << 3) | q);
}

float fp8_e4m3_to_float(uint8_t bits) {
  float sign = (bits & 0x80) ? -1.0f : 1.0f;
  int exp = (bits >> 3) & 0xF, mant = bits & 0x7;
  if (exp == 0xF && mant == 0x7) return std::nanf("");
  if (exp == 0) return sign * std::ldexp(float(mant), -9);
  return sign * std::ldexp(1.0f + float(mant) / 8.0f, exp - 7);
}

void to_fp8_eval(const array& in, array& out) {
  // Read any layout as a row-contiguous float32 copy, then convert element by element.
  array f = array::empty(in.shape(), Dtype::float32);
  copy_general(in, f);
  out.set_data(allocator::malloc(out.nbytes()));
  const float* src = f.data<float>();
  uint8_t* dst = out.data<uint8_t>();
  for (size_t i = 0; i < out.size(); ++i) dst[i] = float_to_fp8_e4m3(src[i]);
}

void from_fp8_eval(const array& in, array& out) {
  array u = array::empty(in.shape(), Dtype::uint8);
  copy_general(in, u);
  array f = array::empty(in.shape(), Dtype::float32);
  const uint8_t* src = u.data<uint8_t>();
  float* vals = f.data<float>();
  for (size_t i = 0; i < f.size(); ++i) vals[i] = fp8_e4m3_to_float(src[i]);
  out.set_data(allocator::malloc(out.nbytes()));
  copy_general(f, out);
}

}  // namespace mlx

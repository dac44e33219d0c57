// The small floating-point formats of MLX's mxfp4, mxfp8 and nvfp4 quantization modes,
// written from their definitions (OCP Microscaling formats; MLX's choices noted):
// - e2m1 (fp4): sign, 2 exponent bits, 1 mantissa bit; the 16 codes are
//   +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}, code c >= 8 the negative of c - 8. MLX quantizes to
//   the nearest code, a tie going to the lower code (its argmin over |v - value|).
// - e4m3 (fp8, the "fn" variant): bias 7, subnormal step 2^-9, largest finite 448. MLX
//   rounds to nearest even and saturates: |x| >= 464 (halfway to 480), infinities and
//   NaN become +-448 (0x7e). Code 0x7f decodes to 480 (MLX reads it as a number).
// - e8m0 (the mx scales): a biased exponent, 2^(e - 127); code 0 decodes to 2^-127.
#pragma once

#include <cmath>
#include <cstdint>

namespace mlx::fp_formats {

inline float e2m1_value(uint32_t code) {
  static const float kValues[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
  float v = kValues[code & 7];
  return (code & 8) ? -v : v;
}

// The code nearest to v; ties to the lower code (so +0 beats -0, and 0.75 gives 0.5).
// `round` maps a float to the dtype MLX measures distances in (identity for float32).
template <typename Round>
inline uint32_t e2m1_nearest(float v, Round round) {
  uint32_t best = 0;
  float best_d = std::abs(round(v - e2m1_value(0)));
  for (uint32_t c = 1; c < 16; ++c) {
    float d = std::abs(round(v - e2m1_value(c)));
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

inline float e4m3_value(uint32_t code) {
  uint32_t e = (code >> 3) & 15, m = code & 7;
  float v = e == 0 ? std::ldexp(float(m), -9) : std::ldexp(1.0f + float(m) / 8.0f, int(e) - 7);
  return (code & 0x80) ? -v : v;
}

inline uint8_t e4m3_code(float x) {
  uint8_t sign = std::signbit(x) ? 0x80 : 0;
  float a = std::abs(x);
  if (!(a < 464.0f)) return sign | 0x7e;  // saturation, infinities and NaN
  if (a < 0.015625f) {                     // below 2^-6: subnormal steps of 2^-9 (8 steps = 2^-6, code 8)
    return sign | uint8_t(std::rint(a * 512.0f));
  }
  int e;
  float f = std::frexp(a, &e);  // a = f * 2^e, f in [0.5, 1)
  e -= 1;                       // a = (2f) * 2^e, 2f in [1, 2)
  int m = int(std::rint((2.0f * f - 1.0f) * 8.0f));
  if (m == 8) m = 0, e += 1;
  return sign | uint8_t(((e + 7) << 3) | m);
}

inline float e8m0_value(uint32_t code) { return code == 0 ? std::ldexp(1.0f, -127) : std::ldexp(1.0f, int(code) - 127); }

// MLX's mx scale of a group whose largest magnitude over the element maximum is `raw`:
// the smallest power of two not below it (so the largest element does not saturate),
// 2^0 for an all-zero group.
inline uint8_t e8m0_scale_code(float raw) {
  if (raw == 0.0f) return 127;
  if (!std::isfinite(raw)) return 0xff;
  int n = int(std::round(std::log2(raw)));
  n = n < -127 ? -127 : (n > 127 ? 127 : n);
  uint32_t code = uint32_t(n + 127);
  if (code < 0xfe && e8m0_value(code) < raw) code += 1;
  return uint8_t(code);
}

}  // namespace mlx::fp_formats

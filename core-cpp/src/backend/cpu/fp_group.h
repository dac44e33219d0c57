// One group of a floating-point quantization mode (mxfp4, mxfp8, nvfp4), as MLX's
// fp_quantize / fp_dequantize compute it: shared by quantize, dequantize and qqmm (which
// quantizes its activations, and an unquantized weight, with the same rule).
// - raw = max|w| / (6 for fp4, 448 for fp8), rounded to w's dtype T (MLX's array ops in T);
// - nvfp4 (groups of 16): the scale code is the e4m3 code of raw * encode, where encode is
//   448 * 6 / global_scale with a global scale and 1 without; mx modes: the e8m0 code of
//   the smallest power of two not below raw;
// - each value: w / scale (rounded to T), times encode for nvfp4, becomes the nearest e2m1
//   code (ties to the lower code) or its e4m3 code.
// A decoded value is value(code) * scale, where nvfp4's scale is e4m3(code) * decode and
// decode = global_scale / (448 * 6) (1 without a global scale).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "backend/cpu/fp_formats.h"

namespace mlx::fp_group {

// x rounded to T and back: MLX's intermediate values are T values.
template <typename T>
inline float in_t(float x) {
  if constexpr (std::is_same_v<T, double>) return x;
  else return static_cast<float>(T(x));
}

struct Rule {
  int gs, bits;
  bool global = false;  // nvfp4 with a global (tensor) scale
  float encode = 1.0f;  // 448 * 6 / global_scale, in float32 as MLX divides
  float decode = 1.0f;  // global_scale / (448 * 6)

  static Rule make(int gs, int bits, const float* global_scale) {
    Rule r{gs, bits};
    if (global_scale && gs == 16) {
      r.global = true;
      r.encode = (448.0f * 6.0f) / *global_scale;
      r.decode = *global_scale / (448.0f * 6.0f);
    }
    return r;
  }

  // The value a scale code stands for (nvfp4: e4m3 times decode; mx: 2^(code - 127)).
  float scale_value(uint8_t code) const {
    if (gs != 16) return fp_formats::e8m0_value(code);
    float s = fp_formats::e4m3_value(code);
    return global ? s * decode : s;
  }

  float value(uint32_t code) const {
    return bits == 4 ? fp_formats::e2m1_value(code) : fp_formats::e4m3_value(code);
  }
};

// The codes of the group x[0 .. gs) into codes[0 .. gs); returns its scale code.
template <typename T>
uint8_t quantize(const T* x, const Rule& r, uint32_t* codes) {
  const float maxval = r.bits == 4 ? 6.0f : 448.0f;
  float amax = 0;
  for (int j = 0; j < r.gs; ++j) amax = std::max(amax, std::abs(static_cast<float>(x[j])));
  const float raw = in_t<T>(amax / maxval);
  uint8_t code;
  float scale;
  if (r.gs == 16) {
    // MLX: the T-typed raw times the float32 encode (a float32 product), to e4m3.
    code = fp_formats::e4m3_code(r.global ? raw * r.encode : raw);
    scale = fp_formats::e4m3_value(code);
  } else {
    code = fp_formats::e8m0_scale_code(raw);
    scale = fp_formats::e8m0_value(code);
  }
  for (int j = 0; j < r.gs; ++j) {
    float v = scale == 0.0f ? 0.0f : in_t<T>(static_cast<float>(x[j]) / scale);
    if (r.global) {
      // nvfp4 with a global scale: the quotient times encode is a float32 value, and the
      // distances to the e2m1 values are float32 differences.
      codes[j] = fp_formats::e2m1_nearest(v * r.encode, [](float d) { return d; });
    } else if (r.bits == 4) {
      codes[j] = fp_formats::e2m1_nearest(v, [](float d) { return in_t<T>(d); });
    } else {
      codes[j] = fp_formats::e4m3_code(v);
    }
  }
  return code;
}

// The group x[0 .. gs) quantized and decoded again, as float32 values (qqmm's operands).
template <typename T>
void quantize_decode(const T* x, const Rule& r, float* out) {
  uint32_t codes[32];
  const float scale = r.scale_value(quantize(x, r, codes));
  for (int j = 0; j < r.gs; ++j) out[j] = r.value(codes[j]) * scale;
}

}  // namespace mlx::fp_group

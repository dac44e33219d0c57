#include "vec_exp.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace mlx {

namespace {

// Inputs are clamped to [kLo, kHi] first: below kLo e^x rounds to 0, above kHi it is +inf;
// inside, n = round(x log2 e) stays in [-159, 129], so n/2 and n - n/2 are both normal
// float exponents.
constexpr float kLo = -110.0f;
constexpr float kHi = 89.0f;
constexpr float kLog2e = 1.44269504088896341f;
// ln 2 = kLn2Hi - kLn2Lo: kLn2Hi has few mantissa bits, so n * kLn2Hi is exact.
constexpr float kLn2Hi = 0.693359375f;
constexpr float kLn2Lo = 2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f, kP1 = 1.3981999507e-3f, kP2 = 8.3334519073e-3f,
                kP3 = 4.1665795894e-2f, kP4 = 1.6666665459e-1f, kP5 = 5.0000001201e-1f;
// tanh on |x| < kTanhSmall: x + x^3 P(x^2) (Cephes' tanhf coefficients); 1 - 2 / (e^2|x| + 1)
// above, where that difference loses no accuracy.
constexpr float kTanhSmall = 0.625f;
constexpr float kT0 = -5.70498872745e-3f, kT1 = 2.06390887954e-2f, kT2 = -5.37397155531e-2f,
                kT3 = 1.33314422036e-1f, kT4 = -3.33332819422e-1f;

inline float pow2i(int32_t n) {
  uint32_t bits = static_cast<uint32_t>(n + 127) << 23;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace

float exp_f32(float x) {
  if (x != x) return x;
  float c = x < kLo ? kLo : (x > kHi ? kHi : x);
  float fn = std::nearbyint(c * kLog2e);
  float r = (c - fn * kLn2Hi) + fn * kLn2Lo;
  float p = kP0;
  p = p * r + kP1;
  p = p * r + kP2;
  p = p * r + kP3;
  p = p * r + kP4;
  p = p * r + kP5;
  float er = (p * (r * r) + r) + 1.0f;
  int32_t n = static_cast<int32_t>(fn);
  int32_t n1 = n >> 1;
  return (er * pow2i(n1)) * pow2i(n - n1);
}

// e^x for x <= 0 (softmax's x - max): fewer operations than exp_f32. A degree-5 polynomial
// (least-squares fit to minimax on |r| <= ln2/2, relative error 1.05e-7, so within about
// 2.3 ulps after rounding); 2^n straight from the rounding sum: adding 1.5 * 2^23 + 127
// leaves n + 127 in the low mantissa bits, which a shift by 23 turns into the exponent.
// Below -87.68 (n + 127 = 0) that exponent is 0 and so is the result: subnormal results
// flush to 0, and -inf gives exactly 0.
namespace {
constexpr float kNpLo = -88.0f;
constexpr float kNpMagic = 12583039.0f;  // 1.5 * 2^23 + 127
constexpr float kQ0 = 4.999923110e-01f, kQ1 = 1.666711420e-01f, kQ2 = 4.189011455e-02f,
                kQ3 = 8.312525228e-03f;
}  // namespace

float exp_nonpos_f32(float x) {
  if (x != x) return x;
  float c = x < kNpLo ? kNpLo : x;
  float t = c * kLog2e + kNpMagic;
  float fn = t - kNpMagic;
  float r = (c - fn * kLn2Hi) + fn * kLn2Lo;
  float q = kQ3;
  q = q * r + kQ2;
  q = q * r + kQ1;
  q = q * r + kQ0;
  float er = (q * (r * r) + r) + 1.0f;
  uint32_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  bits <<= 23;
  float s;
  std::memcpy(&s, &bits, sizeof s);
  return er * s;
}

// 1 / (1 + e^-|x|) for x >= 0 and e^-|x| / (1 + e^-|x|) below: neither overflows, and the
// tiny results for very negative x keep their relative accuracy.
float sigmoid_f32(float x) {
  float e = exp_f32(-std::fabs(x));
  float q = 1.0f / (1.0f + e);
  return x >= 0 ? q : e * q;
}

// The magnitude from |x|, then x's sign (so tanh(-0) = -0).
float tanh_f32(float x) {
  float a = std::fabs(x);
  float y;
  if (a < kTanhSmall) {
    float s = a * a;
    float p = kT0;
    p = p * s + kT1;
    p = p * s + kT2;
    p = p * s + kT3;
    p = p * s + kT4;
    y = (p * s) * a + a;
  } else {
    y = 1.0f - 2.0f / (exp_f32(a + a) + 1.0f);
  }
  return std::copysign(y, x);
}

#ifdef __wasm_simd128__

namespace {

inline v128_t splat(float v) { return wasm_f32x4_splat(v); }

// Measured in V8 (x64): NaN-propagating f32x4.min/max and i32x4.trunc_sat each expand to
// several instructions, so the clamp uses pmin/pmax (NaN still passes: they return their
// first operand when a comparison fails) and n comes from the "round by adding 1.5 * 2^23"
// trick, which leaves n in the low mantissa bits (24 ms -> 12 ms for 4M values).
inline v128_t exp4(v128_t x) {
  v128_t c = wasm_f32x4_pmin(wasm_f32x4_pmax(x, splat(kLo)), splat(kHi));
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(c, splat(kLog2e)), splat(12582912.0f));
  v128_t fn = wasm_f32x4_sub(t, splat(12582912.0f));
  v128_t r = wasm_f32x4_add(wasm_f32x4_sub(c, wasm_f32x4_mul(fn, splat(kLn2Hi))), wasm_f32x4_mul(fn, splat(kLn2Lo)));
  v128_t p = splat(kP0);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(kP1));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(kP2));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(kP3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(kP4));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(kP5));
  v128_t er = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, wasm_f32x4_mul(r, r)), r), splat(1.0f));
  v128_t n = wasm_i32x4_sub(t, wasm_i32x4_splat(0x4b400000));
  v128_t n1 = wasm_i32x4_shr(n, 1);
  v128_t n2 = wasm_i32x4_sub(n, n1);
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(er, s1), s2);
}

inline v128_t exp_nonpos4(v128_t x) {
  v128_t c = wasm_f32x4_pmax(x, splat(kNpLo));
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(c, splat(kLog2e)), splat(kNpMagic));
  v128_t fn = wasm_f32x4_sub(t, splat(kNpMagic));
  v128_t r = wasm_f32x4_add(wasm_f32x4_sub(c, wasm_f32x4_mul(fn, splat(kLn2Hi))), wasm_f32x4_mul(fn, splat(kLn2Lo)));
  v128_t q = splat(kQ3);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), splat(kQ2));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), splat(kQ1));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), splat(kQ0));
  v128_t er = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(q, wasm_f32x4_mul(r, r)), r), splat(1.0f));
  return wasm_f32x4_mul(er, wasm_i32x4_shl(t, 23));
}

inline v128_t sigmoid4(v128_t x) {
  v128_t e = exp4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  // One division (f32x4.div is slow): 1 / (1 + e), times e for the negative side.
  v128_t pos = wasm_f32x4_div(splat(1.0f), wasm_f32x4_add(splat(1.0f), e));
  v128_t neg = wasm_f32x4_mul(e, pos);
  // x >= 0 is false for NaN: the e / d branch, which is NaN too.
  return wasm_v128_bitselect(pos, neg, wasm_f32x4_ge(x, splat(0.0f)));
}

inline v128_t tanh4(v128_t x) {
  v128_t a = wasm_f32x4_abs(x);
  v128_t s = wasm_f32x4_mul(a, a);
  v128_t p = splat(kT0);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), splat(kT1));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), splat(kT2));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), splat(kT3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), splat(kT4));
  v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, s), a), a);
  v128_t big = wasm_f32x4_sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), wasm_f32x4_add(exp4(wasm_f32x4_add(a, a)), splat(1.0f))));
  v128_t y = wasm_v128_bitselect(small, big, wasm_f32x4_lt(a, splat(kTanhSmall)));
  // x's sign onto the magnitude (a NaN stays NaN).
  v128_t sign = wasm_i32x4_splat(int32_t(0x80000000u));
  return wasm_v128_or(wasm_v128_andnot(y, sign), wasm_v128_and(x, sign));
}

template <typename F4, typename F1>
inline void map_span(const float* x, float* y, size_t n, F4 f4, F1 f1) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v128_t a = f4(wasm_v128_load(x + i));
    v128_t b = f4(wasm_v128_load(x + i + 4));
    wasm_v128_store(y + i, a);
    wasm_v128_store(y + i + 4, b);
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, f4(wasm_v128_load(x + i)));
  for (; i < n; ++i) y[i] = f1(x[i]);
}

}  // namespace

void exp_span(const float* x, float* y, size_t n) { map_span(x, y, n, exp4, exp_f32); }
void sigmoid_span(const float* x, float* y, size_t n) { map_span(x, y, n, sigmoid4, sigmoid_f32); }
void tanh_span(const float* x, float* y, size_t n) { map_span(x, y, n, tanh4, tanh_f32); }

float max_span(const float* x, size_t n) {
  float m = -std::numeric_limits<float>::infinity();
  size_t i = 0;
  if (n >= 16) {
    // pmax (one instruction, unlike NaN-propagating max). NaNs are caught by a running
    // sum, one add per vector instead of a compare and an or: it is NaN when an element
    // is, and otherwise only after inf - inf, so a NaN sum sends the span to the exact
    // scalar loop below.
    v128_t m0 = wasm_v128_load(x), m1 = wasm_v128_load(x + 4);
    v128_t m2 = wasm_v128_load(x + 8), m3 = wasm_v128_load(x + 12);
    v128_t s0 = wasm_f32x4_add(m0, m1), s1 = wasm_f32x4_add(m2, m3);
    for (i = 16; i + 16 <= n; i += 16) {
      v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 4);
      v128_t c = wasm_v128_load(x + i + 8), d = wasm_v128_load(x + i + 12);
      m0 = wasm_f32x4_pmax(m0, a);
      m1 = wasm_f32x4_pmax(m1, b);
      m2 = wasm_f32x4_pmax(m2, c);
      m3 = wasm_f32x4_pmax(m3, d);
      s0 = wasm_f32x4_add(s0, wasm_f32x4_add(a, b));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_add(c, d));
    }
    v128_t s = wasm_f32x4_add(s0, s1);
    if (wasm_v128_any_true(wasm_f32x4_ne(s, s))) {
      i = 0;  // a NaN, or infinities of both signs: the scalar loop decides
    } else {
      m0 = wasm_f32x4_pmax(wasm_f32x4_pmax(m0, m1), wasm_f32x4_pmax(m2, m3));
      for (int k = 0; k < 4; ++k) {
        float v = wasm_f32x4_extract_lane(m0, 0);
        m0 = wasm_i32x4_shuffle(m0, m0, 1, 2, 3, 0);
        m = v > m ? v : m;
      }
    }
  }
  for (; i < n; ++i) m = (m != m) ? m : ((x[i] > m || x[i] != x[i]) ? x[i] : m);
  return m;
}

float exp_shift_sum(const float* x, float* y, size_t n, float shift) {
  v128_t sh = splat(shift);
  v128_t s0 = splat(0.0f), s1 = splat(0.0f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v128_t e0 = exp_nonpos4(wasm_f32x4_sub(wasm_v128_load(x + i), sh));
    v128_t e1 = exp_nonpos4(wasm_f32x4_sub(wasm_v128_load(x + i + 4), sh));
    wasm_v128_store(y + i, e0);
    wasm_v128_store(y + i + 4, e1);
    s0 = wasm_f32x4_add(s0, e0);
    s1 = wasm_f32x4_add(s1, e1);
  }
  s0 = wasm_f32x4_add(s0, s1);
  float sum = (wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1)) +
              (wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3));
  for (; i < n; ++i) {
    y[i] = exp_nonpos_f32(x[i] - shift);
    sum += y[i];
  }
  return sum;
}

float exp_shift_total(const float* x, size_t n, float shift) {
  v128_t sh = splat(shift);
  v128_t s0 = splat(0.0f), s1 = splat(0.0f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = wasm_f32x4_add(s0, exp_nonpos4(wasm_f32x4_sub(wasm_v128_load(x + i), sh)));
    s1 = wasm_f32x4_add(s1, exp_nonpos4(wasm_f32x4_sub(wasm_v128_load(x + i + 4), sh)));
  }
  s0 = wasm_f32x4_add(s0, s1);
  float sum = (wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1)) +
              (wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3));
  for (; i < n; ++i) sum += exp_nonpos_f32(x[i] - shift);
  return sum;
}

void scale_span(float* y, size_t n, float s) {
  v128_t sv = splat(s);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t a = wasm_v128_load(y + i), b = wasm_v128_load(y + i + 4);
    v128_t c = wasm_v128_load(y + i + 8), d = wasm_v128_load(y + i + 12);
    wasm_v128_store(y + i, wasm_f32x4_mul(a, sv));
    wasm_v128_store(y + i + 4, wasm_f32x4_mul(b, sv));
    wasm_v128_store(y + i + 8, wasm_f32x4_mul(c, sv));
    wasm_v128_store(y + i + 12, wasm_f32x4_mul(d, sv));
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, wasm_f32x4_mul(wasm_v128_load(y + i), sv));
  for (; i < n; ++i) y[i] *= s;
}

#else  // no SIMD128: the scalar forms (the compiler may still vectorise the plain loops)

void exp_span(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = exp_f32(x[i]);
}
void sigmoid_span(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = sigmoid_f32(x[i]);
}
void tanh_span(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = tanh_f32(x[i]);
}

float max_span(const float* x, size_t n) {
  float m = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < n; ++i) m = (m != m) ? m : ((x[i] > m || x[i] != x[i]) ? x[i] : m);
  return m;
}

float exp_shift_sum(const float* x, float* y, size_t n, float shift) {
  float sum = 0;
  for (size_t i = 0; i < n; ++i) {
    y[i] = exp_nonpos_f32(x[i] - shift);
    sum += y[i];
  }
  return sum;
}

float exp_shift_total(const float* x, size_t n, float shift) {
  float sum = 0;
  for (size_t i = 0; i < n; ++i) sum += exp_nonpos_f32(x[i] - shift);
  return sum;
}

void scale_span(float* y, size_t n, float s) {
  for (size_t i = 0; i < n; ++i) y[i] *= s;
}

#endif

}  // namespace mlx

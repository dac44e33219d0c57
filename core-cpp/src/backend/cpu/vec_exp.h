// Float32 e^x and the functions built on it (sigmoid, tanh) for the kernels that are bound by
// them: softmax, and the exp / sigmoid / tanh element-wise ops on float32 and 16-bit floats.
// A library call per element (std::exp) does not vectorise; these run four lanes at a time
// with wasm SIMD128 (no FMA there, so the range reduction uses a split ln 2).
//
// e^x: x = n ln2 + r with |r| <= ln2 / 2; e^r from a degree-7 polynomial (coefficients from
// Cephes' expf); 2^n applied as two power-of-two factors made in the exponent bits, so that
// results in the subnormal range and overflow to +inf round as one multiplication would.
// Relative error within about 2 ulp of float32 (checked against float64 in the tests).
// -inf gives exactly 0, +inf gives +inf, NaN stays NaN, as std::exp.
//
// The scalar forms (exp_f32, ...) do the same operations in the same order as the SIMD ones:
// they handle the tails of the SIMD loops, and the whole span in a build without SIMD128
// (the native addon), so a value gets the same result whichever path computes it.
#pragma once

#include <cstddef>

namespace mlx {

float exp_f32(float x);
// e^x for x <= 0 only, cheaper (softmax): within about 2.3 ulps, results below the smallest
// normal float flush to 0, -inf gives 0, NaN stays NaN.
float exp_nonpos_f32(float x);
float sigmoid_f32(float x);
float tanh_f32(float x);

// y[i] = f(x[i]) for i < n (y may equal x).
void exp_span(const float* x, float* y, size_t n);
void sigmoid_span(const float* x, float* y, size_t n);
void tanh_span(const float* x, float* y, size_t n);

// The largest element (NaN when there is one, -inf when n is 0).
float max_span(const float* x, size_t n);
// y[i] = e^(x[i] - shift) (with exp_nonpos_f32: every x[i] - shift must be <= 0 or NaN);
// returns the sum of the y[i].
float exp_shift_sum(const float* x, float* y, size_t n, float shift);
// The same sum without storing the y[i] (logsumexp).
float exp_shift_total(const float* x, size_t n, float shift);
// y[i] *= s.
void scale_span(float* y, size_t n, float s);

}  // namespace mlx

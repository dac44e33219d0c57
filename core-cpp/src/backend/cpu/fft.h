// The CPU kernel of the FFT primitive (primitives/fft.h): discrete Fourier transforms along
// one or more axes, every length in O(n log n).
//
// A length whose factors are all 2, 3, 5 or 7 runs as a Stockham autosort FFT (radix 4
// first, then 2, 3, 5, 7; out of place between the line and one scratch line, so no bit
// reversal); any other length runs Bluestein's chirp-z algorithm through a power-of-two
// transform of length >= 2n - 1. Arithmetic is in double on every line (wasm's scalar f64
// costs what f32 does), with twiddles and chirps computed in double once per length and
// cached (a plan), so float32 results carry only the final rounding error.
#pragma once

#include <cstdint>
#include <vector>

#include "array.h"

namespace mlx {

// The transform `out` = FFT of `in` along `axes` (distinct, non-negative), MLX's FFT
// primitive: complex in and out (c2c), or with `real`: forward float32 -> complex64 whose
// last axis in `axes` has n/2 + 1 entries (n = in's length there), inverse complex64 ->
// float32 whose last axis has out's length n and reads in's first n/2 + 1 entries (the
// imaginary parts of the zero and, for even n, the Nyquist entries are ignored, as NumPy
// does). Inverse transforms are scaled by 1/n per axis. Lines are spread over threads.
void fft_eval(const array& in, array& out, const std::vector<int>& axes, bool inverse, bool real);

namespace fft_detail {

struct cplx {
  double re, im;
};

// One in-place forward or inverse (unscaled) transform of n contiguous values; for the
// unit test against a naive DFT.
void transform(cplx* data, int64_t n, bool inverse);

// The radices of a length's Stockham plan (empty when the length runs Bluestein).
std::vector<int> radices(int64_t n);

}  // namespace fft_detail

}  // namespace mlx

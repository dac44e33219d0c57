// MLX's fft module (mlx/fft.h): n-dimensional complex, real-input and inverse transforms,
// the frequency helpers and the spectrum shifts. Every transform is one FFT primitive on an
// input cut or zero-padded to the requested sizes; `norm` scales as NumPy and MLX do
// (backward: none forward, 1/N inverse; ortho: 1/sqrt(N) both ways; forward: 1/N forward,
// none inverse; N the product of the transformed sizes). Errors start [fftn] as MLX's.
#pragma once

#include <optional>
#include <vector>

#include "array.h"

namespace mlx::fft {

enum class FFTNorm { Backward, Ortho, Forward };

// The transform over `axes` (default: every axis) with sizes `n` (default: a's sizes along
// axes; for irfftn the last size defaults to 2 (m - 1)). real: rfftn (input cast to float32,
// complex64 out with n/2 + 1 entries on the last axis) or irfftn (float32 out with n
// entries there, reading n/2 + 1). Otherwise fftn/ifftn (complex64 in and out).
array fft_impl(const array& a, std::optional<Shape> n, std::optional<std::vector<int>> axes, bool real, bool inverse,
               FFTNorm norm = FFTNorm::Backward);

array fftn(const array& a, std::optional<Shape> n = std::nullopt, std::optional<std::vector<int>> axes = std::nullopt,
           FFTNorm norm = FFTNorm::Backward);
array ifftn(const array& a, std::optional<Shape> n = std::nullopt, std::optional<std::vector<int>> axes = std::nullopt,
            FFTNorm norm = FFTNorm::Backward);
array rfftn(const array& a, std::optional<Shape> n = std::nullopt, std::optional<std::vector<int>> axes = std::nullopt,
            FFTNorm norm = FFTNorm::Backward);
array irfftn(const array& a, std::optional<Shape> n = std::nullopt, std::optional<std::vector<int>> axes = std::nullopt,
             FFTNorm norm = FFTNorm::Backward);

// The zero frequency moved to the centre (roll by size / 2) and back (roll by (size + 1) / 2)
// along axes (default: every axis).
array fftshift(const array& a, std::optional<std::vector<int>> axes = std::nullopt);
array ifftshift(const array& a, std::optional<std::vector<int>> axes = std::nullopt);

// The sample frequencies of an n-point transform with sample spacing d, float32:
// [0, 1, ..., (n - 1) / 2, -(n / 2), ..., -1] / (d n), and rfft's [0, ..., n / 2] / (d n).
array fftfreq(int n, double d = 1.0);
array rfftfreq(int n, double d = 1.0);

}  // namespace mlx::fft

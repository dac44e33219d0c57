#include "ops/fft.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>

#include "ops.h"
#include "primitives/fft.h"

namespace mlx::fft {

namespace {

std::string list_text(const std::vector<int>& v) {
  std::ostringstream s;
  s << "(";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  s << ")";
  return s.str();
}

array scaled(const array& x, double scale) {
  if (scale == 1.0) return x;
  return multiply(x, array::scalar(scale, Dtype::float32));
}

}  // namespace

array fft_impl(const array& a, std::optional<Shape> n_opt, std::optional<std::vector<int>> axes_opt, bool real,
               bool inverse, FFTNorm norm) {
  if (a.ndim() < 1) throw std::invalid_argument("[fftn] Requires array with at least one dimension.");
  std::vector<int> axes;
  if (axes_opt) {
    axes = *axes_opt;
  } else {
    axes.resize(a.ndim());
    std::iota(axes.begin(), axes.end(), 0);
  }
  Shape n;
  if (n_opt) {
    n = *n_opt;
    if (n.size() != axes.size()) throw std::invalid_argument("[fftn] Shape and axes have different sizes.");
  }
  if (axes.empty()) return a;
  std::vector<int> valid;
  for (int ax : axes) valid.push_back(ax < 0 ? ax + a.ndim() : ax);
  std::set<int> unique(valid.begin(), valid.end());
  if (unique.size() != axes.size()) {
    throw std::invalid_argument("[fftn] Duplicated axis received " + list_text(axes));
  }
  if (*unique.begin() < 0 || *unique.rbegin() >= a.ndim()) {
    throw std::invalid_argument("[fftn] Invalid axis received for array with " + std::to_string(a.ndim()) +
                                " dimensions.");
  }
  if (!n_opt) {
    for (int ax : valid) n.push_back(a.shape(ax));
    if (real && inverse) n.back() = (n.back() - 1) * 2;
  }
  if (std::any_of(n.begin(), n.end(), [](int v) { return v <= 0; })) {
    throw std::invalid_argument("[fftn] Invalid FFT output size requested " +
                                list_text(std::vector<int>(n.begin(), n.end())));
  }
  // The primitive's input: the sizes along axes (irfftn's last: n / 2 + 1), cut or padded.
  Shape in_shape = a.shape();
  for (size_t i = 0; i < valid.size(); ++i) in_shape[valid[i]] = n[i];
  if (real && inverse) in_shape[valid.back()] = n.back() / 2 + 1;
  Dtype in_type = real && !inverse ? Dtype::float32 : Dtype::complex64;
  array in = astype(a, in_type);
  std::vector<int32_t> start(a.ndim(), 0), stop(a.shape().begin(), a.shape().end());
  bool cut = false;
  std::vector<std::pair<int, int>> widths(a.ndim(), {0, 0});
  bool grow = false;
  for (int i = 0; i < a.ndim(); ++i) {
    if (in_shape[i] < a.shape(i)) stop[i] = in_shape[i], cut = true;
    if (in_shape[i] > a.shape(i)) widths[i].second = in_shape[i] - a.shape(i), grow = true;
  }
  if (cut) in = slice(in, start, stop);
  if (grow) in = pad(in, widths, array::scalar(0, in_type));
  array out = fft_node(in, valid, inverse, real, real && inverse ? n.back() : 0);
  if (norm == FFTNorm::Backward) return out;
  double total = 1;
  for (int v : n) total *= v;
  // The primitive computes the backward convention; ortho and forward rescale it.
  double scale = norm == FFTNorm::Ortho ? (inverse ? std::sqrt(total) : 1.0 / std::sqrt(total))
                                        : (inverse ? total : 1.0 / total);
  return scaled(out, scale);
}

array fftn(const array& a, std::optional<Shape> n, std::optional<std::vector<int>> axes, FFTNorm norm) {
  return fft_impl(a, std::move(n), std::move(axes), false, false, norm);
}
array ifftn(const array& a, std::optional<Shape> n, std::optional<std::vector<int>> axes, FFTNorm norm) {
  return fft_impl(a, std::move(n), std::move(axes), false, true, norm);
}
array rfftn(const array& a, std::optional<Shape> n, std::optional<std::vector<int>> axes, FFTNorm norm) {
  return fft_impl(a, std::move(n), std::move(axes), true, false, norm);
}
array irfftn(const array& a, std::optional<Shape> n, std::optional<std::vector<int>> axes, FFTNorm norm) {
  return fft_impl(a, std::move(n), std::move(axes), true, true, norm);
}

namespace {

array shift(const array& a, std::optional<std::vector<int>> axes_opt, bool inverse) {
  const char* name = inverse ? "ifftshift" : "fftshift";
  std::vector<int> axes;
  if (axes_opt) {
    axes = *axes_opt;
  } else {
    if (a.ndim() < 1) return a;
    axes.resize(a.ndim());
    std::iota(axes.begin(), axes.end(), 0);
  }
  if (axes.empty()) return a;
  std::vector<int> shifts;
  for (int ax : axes) {
    int axis = ax < 0 ? ax + a.ndim() : ax;
    if (axis < 0 || axis >= a.ndim()) {
      throw std::invalid_argument(std::string("[") + name + "] Invalid axis " + std::to_string(ax) +
                                  " for array with " + std::to_string(a.ndim()) + " dimensions.");
    }
    int size = a.shape(axis);
    shifts.push_back(inverse ? (size + 1) / 2 : size / 2);
  }
  return roll(a, shifts, axes);
}

array freqs(int n, double d, bool half, const char* name) {
  if (n <= 0) throw std::invalid_argument(std::string("[") + name + "] n must be positive, got " + std::to_string(n) + ".");
  // Computed in double and rounded once, as NumPy's float64 values cast to float32.
  const double step = 1.0 / (d * n);
  std::vector<double> v;
  int count = half ? n / 2 + 1 : n;
  for (int i = 0; i < count; ++i) {
    int k = (half || i <= (n - 1) / 2) ? i : i - n;
    v.push_back(k * step);
  }
  return array::from_vector(v, {count}, Dtype::float32);
}

}  // namespace

array fftshift(const array& a, std::optional<std::vector<int>> axes) { return shift(a, std::move(axes), false); }
array ifftshift(const array& a, std::optional<std::vector<int>> axes) { return shift(a, std::move(axes), true); }
array fftfreq(int n, double d) { return freqs(n, d, false, "fftfreq"); }
array rfftfreq(int n, double d) { return freqs(n, d, true, "rfftfreq"); }

}  // namespace mlx::fft

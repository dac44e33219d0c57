#include "primitives/fft.h"

#include <stdexcept>

#include "backend/cpu/fft.h"
#include "ops.h"

namespace mlx {

array fft_node(const array& in, std::vector<int> axes, bool inverse, bool real, int real_n) {
  auto prim = std::make_shared<FFT>(std::move(axes), inverse, real, real_n);
  Shape shape = prim->output_shape(in.shape());
  Dtype dtype = real && inverse ? Dtype::float32 : Dtype::complex64;
  return array(std::move(shape), dtype, prim, {in});
}

Shape FFT::output_shape(const Shape& in) const {
  Shape out = in;
  if (real_) {
    int last = axes_.back();
    out[last] = inverse_ ? real_n_ : in[last] / 2 + 1;
  }
  return out;
}

void FFT::eval(const std::vector<array>& inputs, array& out) { fft_eval(inputs[0], out, axes_, inverse_, real_); }

bool FFT::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const FFT*>(&other);
  return o && o->axes_ == axes_ && o->inverse_ == inverse_ && o->real_ == real_ && o->real_n_ == real_n_;
}

std::vector<Shape> FFT::output_shapes(const std::vector<array>& inputs) { return {output_shape(inputs[0].shape())}; }

std::vector<array> FFT::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                            const std::vector<int>&, const std::vector<array>&) {
  const array& in = primals[0];
  const array& c = cot[0];
  if (!real_) return {fft_node(astype(c, Dtype::complex64), axes_, inverse_, false)};
  const int last = axes_.back();
  if (!inverse_) {
    // rfftn keeps the first n/2 + 1 outputs of fftn on a real input: the transpose pads the
    // cotangent back to n with zeros, and the input being real keeps the real part.
    std::vector<std::pair<int, int>> widths(c.ndim(), {0, 0});
    widths[last].second = in.shape(last) - c.shape(last);
    array full_cot = pad(astype(c, Dtype::complex64), widths, array::scalar(0, Dtype::complex64));
    return {real(fft_node(full_cot, axes_, false, false))};
  }
  // irfftn: output y = (1/N) sum over the Hermitian extension of the input X, so entry k of
  // the half spectrum (0 < k < n/2) contributes through itself and its mirror n - k: twice
  // the inverse transform of the cotangent there; entry 0 and, for even n, n/2 once. The
  // imaginary parts of those two entries do not reach the output, and the inverse
  // transform of a real cotangent is real there, so their gradient's imaginary part is 0.
  const int n = real_n_, half = in.shape(last);
  array g = fft_node(astype(c, Dtype::complex64), axes_, true, false);
  std::vector<int32_t> start(g.ndim(), 0), stop(g.shape().begin(), g.shape().end());
  stop[last] = half;
  g = slice(g, start, stop);
  std::vector<float> weights(half, 2.0f);
  weights[0] = 1.0f;
  if (n % 2 == 0 && n / 2 < half) weights[n / 2] = 1.0f;
  Shape wshape(g.ndim(), 1);
  wshape[last] = half;
  return {multiply(g, array::from_vector(weights, wshape, Dtype::float32))};
}

std::vector<array> FFT::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                            const std::vector<int>&) {
  // The transform is linear (R-linear for irfftn): the tangent goes through it as is.
  return {fft_node(astype(tan[0], primals[0].dtype()), axes_, inverse_, real_, real_n_)};
}

std::pair<std::vector<array>, std::vector<int>> FFT::vmap(const std::vector<array>& inputs,
                                                          const std::vector<int>& axes) {
  const int b = axes[0];
  std::vector<int> shifted = axes_;
  if (b >= 0) {
    for (auto& ax : shifted) {
      if (ax >= b) ++ax;
    }
  }
  return {{fft_node(inputs[0], shifted, inverse_, real_, real_n_)}, {b}};
}

}  // namespace mlx

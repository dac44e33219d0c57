#include "ops/conv.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "primitives/conv.h"

namespace mlx {

Shape conv_output_shape(const Shape& x, const Shape& w, const ConvParams& p) {
  const int n = p.spatial();
  auto fail = [&](const std::string& m) { throw std::invalid_argument("[" + p.op_name() + "] " + m); };
  if (n < 1 || n > 3 || p.padding_lo.size() != size_t(n) || p.padding_hi.size() != size_t(n) ||
      p.dilation.size() != size_t(n)) {
    fail("Expected 1 to 3 spatial axes with one stride, padding and dilation each.");
  }
  if (x.size() != size_t(n + 2) || w.size() != size_t(n + 2)) {
    fail("Expected an input [N, ..., C_in] and a weight [C_out, ..., C_in / groups] with " + std::to_string(n + 2) +
         " dimensions.");
  }
  for (int d = 0; d < n; ++d) {
    if (p.stride[d] < 1 || p.dilation[d] < 1 || p.padding_lo[d] < 0 || p.padding_hi[d] < 0) {
      fail("Invalid stride, padding or dilation.");
    }
  }
  int c_in = x[size_t(n + 1)], c_out = w[0];
  if (p.groups < 1 || c_in % p.groups != 0 || c_out % p.groups != 0 || c_in != p.groups * w[size_t(n + 1)]) {
    fail("The input and weight channels do not match the number of groups.");
  }
  Shape out(size_t(n + 2));
  out[0] = x[0];
  out[size_t(n + 1)] = c_out;
  for (int d = 0; d < n; ++d) {
    int span = p.dilation[d] * (w[size_t(d + 1)] - 1) + 1;
    int padded = x[size_t(d + 1)] + p.padding_lo[d] + p.padding_hi[d];
    if (padded < span) fail("Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions.");
    out[size_t(d + 1)] = (padded - span) / p.stride[d] + 1;
  }
  return out;
}

array conv_direct(const array& x, const array& w, const ConvParams& p) {
  if (x.dtype() != Dtype::float32 || w.dtype() != Dtype::float32) {
    throw std::invalid_argument("[" + p.op_name() + "] The direct convolution takes float32 input and weight.");
  }
  return array(conv_output_shape(x.shape(), w.shape(), p), Dtype::float32, std::make_shared<ConvDirect>(p), {x, w});
}

array conv_composed(const array& x, const array& w, const ConvParams& p) {
  Shape os = conv_output_shape(x.shape(), w.shape(), p);
  const int n = p.spatial();
  int batch = x.shape(0), c_in = x.shape(n + 1), c_out = w.shape(0);
  int groups = p.groups, cg = c_in / groups, og = c_out / groups, taps = 1, rows = batch;
  for (int d = 0; d < n; ++d) {
    taps *= w.shape(d + 1);
    rows *= os[size_t(d + 1)];
  }
  array xp = x;
  bool padded = false;
  std::vector<std::pair<int, int>> widths{{0, 0}};
  for (int d = 0; d < n; ++d) {
    widths.push_back({p.padding_lo[d], p.padding_hi[d]});
    padded = padded || p.padding_lo[d] > 0 || p.padding_hi[d] > 0;
  }
  widths.push_back({0, 0});
  if (padded) xp = pad(x, widths, array::scalar(0.0, x.dtype()));
  // One strided view per kernel tap, in the weight's row-major tap order.
  std::vector<array> views;
  views.reserve(size_t(taps));
  for (int t = 0; t < taps; ++t) {
    std::vector<int32_t> start{0}, stop{batch}, steps{1};
    std::vector<int> tap(static_cast<size_t>(n), 0);
    for (int d = n - 1, rest = t; d >= 0; --d) {
      tap[size_t(d)] = rest % w.shape(d + 1);
      rest /= w.shape(d + 1);
    }
    for (int d = 0; d < n; ++d) {
      int s = tap[size_t(d)] * p.dilation[d];
      start.push_back(s);
      stop.push_back(s + (os[size_t(d + 1)] - 1) * p.stride[d] + 1);
      steps.push_back(p.stride[d]);
    }
    start.push_back(0);
    stop.push_back(c_in);
    steps.push_back(1);
    views.push_back(slice(xp, start, stop, steps));
  }
  // patches [rows, taps, groups, cg] -> cols [groups, rows, taps * cg]
  array patches = reshape(stack(views, n + 1), {rows, taps, groups, cg});
  array cols = reshape(transpose(patches, std::vector<int>{2, 0, 1, 3}), {groups, rows, taps * cg});
  // weight [c_out, ...kernel, cg] -> [groups, taps * cg, og]
  array wg = transpose(reshape(w, {groups, og, taps * cg}), std::vector<int>{0, 2, 1});
  array out = matmul(cols, wg);  // [groups, rows, og]
  return reshape(transpose(out, std::vector<int>{1, 0, 2}), os);
}

}  // namespace mlx

#include "ops/conv.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "primitives/conv.h"

namespace mlx {

Shape conv2d_output_shape(const Shape& x, const Shape& w, const Conv2dParams& p) {
  auto fail = [](const std::string& m) { throw std::invalid_argument("[conv2d] " + m); };
  if (x.size() != 4 || w.size() != 4) fail("Expected a 4-d input [N, H, W, C_in] and a 4-d weight [C_out, KH, KW, C_in / groups].");
  for (int d = 0; d < 2; ++d) {
    if (p.stride[d] < 1 || p.dilation[d] < 1 || p.padding[d] < 0) fail("Invalid stride, padding or dilation.");
  }
  if (p.groups < 1 || x[3] % p.groups != 0 || w[0] % p.groups != 0 || x[3] != p.groups * w[3]) {
    fail("The input and weight channels do not match the number of groups.");
  }
  Shape out{x[0], 0, 0, w[0]};
  for (int d = 0; d < 2; ++d) {
    int span = p.dilation[d] * (w[d + 1] - 1) + 1;
    int padded = x[d + 1] + 2 * p.padding[d];
    if (padded < span) fail("Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions.");
    out[d + 1] = (padded - span) / p.stride[d] + 1;
  }
  return out;
}

array conv2d_direct(const array& x, const array& w, const Conv2dParams& p) {
  if (x.dtype() != Dtype::float32 || w.dtype() != Dtype::float32) {
    throw std::invalid_argument("[conv2d] The direct convolution takes float32 input and weight.");
  }
  return array(conv2d_output_shape(x.shape(), w.shape(), p), Dtype::float32, std::make_shared<Conv2dDirect>(p),
               {x, w});
}

array conv2d_composed(const array& x, const array& w, const Conv2dParams& p) {
  Shape os = conv2d_output_shape(x.shape(), w.shape(), p);
  int batch = x.shape(0), c_in = x.shape(3), c_out = w.shape(0), kh = w.shape(1), kw = w.shape(2);
  int groups = p.groups, cg = c_in / groups, og = c_out / groups, taps = kh * kw;
  int rows = batch * os[1] * os[2];
  array xp = x;
  if (p.padding[0] > 0 || p.padding[1] > 0) {
    xp = pad(x, {{0, 0}, {p.padding[0], p.padding[0]}, {p.padding[1], p.padding[1]}, {0, 0}},
             array::scalar(0.0, x.dtype()));
  }
  // One strided view per kernel tap, in the weight's (ky, kx) order.
  std::vector<array> views;
  views.reserve(size_t(taps));
  for (int ky = 0; ky < kh; ++ky) {
    for (int kx = 0; kx < kw; ++kx) {
      int y0 = ky * p.dilation[0], x0 = kx * p.dilation[1];
      views.push_back(slice(xp, {0, y0, x0, 0},
                            {batch, y0 + (os[1] - 1) * p.stride[0] + 1, x0 + (os[2] - 1) * p.stride[1] + 1, c_in},
                            {1, p.stride[0], p.stride[1], 1}));
    }
  }
  // patches [rows, taps, groups, cg] -> cols [groups, rows, taps * cg]
  array patches = reshape(stack(views, 3), {rows, taps, groups, cg});
  array cols = reshape(transpose(patches, std::vector<int>{2, 0, 1, 3}), {groups, rows, taps * cg});
  // weight [c_out, kh, kw, cg] -> [groups, taps * cg, og]
  array wg = transpose(reshape(w, {groups, og, taps * cg}), std::vector<int>{0, 2, 1});
  array out = matmul(cols, wg);  // [groups, rows, og]
  return reshape(transpose(out, std::vector<int>{1, 0, 2}), os);
}

}  // namespace mlx

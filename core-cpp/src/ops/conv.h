// Convolution as one primitive (float32, channels last, 1 to 3 spatial axes): the fast path
// behind mx.conv1d/conv2d/conv3d and mx.convGeneral.
#pragma once

#include <string>
#include <vector>

#include "array.h"

namespace mlx {

// One entry per spatial axis in each list (all the same length, 1 to 3). Padding may differ
// on the low and high side (MLX's conv_general); conv1d/2d/3d pad both sides alike.
struct ConvParams {
  std::vector<int> stride, padding_lo, padding_hi, dilation;
  int groups = 1;
  int spatial() const { return int(stride.size()); }
  // The op name errors start with: "conv2d" for two spatial axes.
  std::string op_name() const { return "conv" + std::to_string(spatial()) + "d"; }
  bool operator==(const ConvParams& o) const {
    return stride == o.stride && padding_lo == o.padding_lo && padding_hi == o.padding_hi &&
           dilation == o.dilation && groups == o.groups;
  }
};

// x [N, ...spatial, C_in] (float32, any strides), w [C_out, ...kernel, C_in / groups]
// (float32): out [N, ...spatial_out, C_out], a zero-padded cross-correlation as MLX's conv.
array conv_direct(const array& x, const array& w, const ConvParams& p);

// The same result from existing ops (pad, one strided slice per kernel tap stacked into an
// im2col, a batched matmul per group): the direct primitive's gradients are this
// composition's, so they are differentiable again. Any floating dtype.
array conv_composed(const array& x, const array& w, const ConvParams& p);

}  // namespace mlx

// conv2d as one primitive (float32, channels last): the fast path behind mx.conv1d/conv2d.
#pragma once

#include <array>

#include "array.h"

namespace mlx {

struct Conv2dParams {
  std::array<int, 2> stride{1, 1}, padding{0, 0}, dilation{1, 1};
  int groups = 1;
  bool operator==(const Conv2dParams& o) const {
    return stride == o.stride && padding == o.padding && dilation == o.dilation && groups == o.groups;
  }
};

// x [N, H, W, C_in] (float32, any strides), w [C_out, KH, KW, C_in / groups] (float32):
// out [N, H_out, W_out, C_out], a zero-padded cross-correlation as MLX's conv2d.
array conv2d_direct(const array& x, const array& w, const Conv2dParams& p);

// The same result from existing ops (pad, one strided slice per kernel tap stacked into an
// im2col, a batched matmul per group): the direct primitive's gradients are this
// composition's, so they are differentiable again. Any floating dtype.
array conv2d_composed(const array& x, const array& w, const Conv2dParams& p);

}  // namespace mlx

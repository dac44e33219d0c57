// Direct float32 2-D convolution (channels last) on raw pointers: the input patches are
// packed straight into the GEMM's A panels (sgemm_packed_a), so no im2col is materialised.
#pragma once

#include <cstdint>

namespace mlx {

struct Conv2dGeometry {
  int64_t batch, in_h, in_w, in_c;      // input [batch, in_h, in_w, in_c]
  int64_t x_strides[4];                 // input strides in elements (any, e.g. a transposed view)
  int64_t out_c, kh, kw;                // weight [out_c, kh, kw, in_c / groups], row-contiguous
  int64_t out_h, out_w;                 // output [batch, out_h, out_w, out_c], row-contiguous
  int64_t stride[2], padding[2], dilation[2];
  int64_t groups;
};

// out = conv2d(x, w): a cross-correlation with zero padding, as MLX's conv2d.
void conv2d_direct_f32(const Conv2dGeometry& g, const float* x, const float* w, float* out);

}  // namespace mlx

// Direct float32 convolution (channels last, up to 3 spatial axes) on raw pointers: the input
// patches are packed straight into the GEMM's A panels (sgemm_packed_a), so no im2col is
// materialised. 1-D and 2-D convolutions are this with leading spatial extents of 1.
#pragma once

#include <cstdint>

namespace mlx {

struct ConvGeometry {
  int64_t batch, in_c;                  // input [batch, in[0], in[1], in[2], in_c]
  int64_t in[3];                        // input spatial extents (depth, height, width)
  int64_t x_strides[5];                 // input strides in elements (any, e.g. a transposed view)
  int64_t out_c, k[3];                  // weight [out_c, k[0], k[1], k[2], in_c / groups], row-contiguous
  int64_t out[3];                       // output [batch, out[0], out[1], out[2], out_c], row-contiguous
  int64_t stride[3], padding[3], dilation[3];  // padding: the low side (the high side only sets out[])
  int64_t groups;
};

// out = conv(x, w): a cross-correlation with zero padding, as MLX's conv3d (conv2d/conv1d
// with in[0] = k[0] = out[0] = 1).
void conv_direct_f32(const ConvGeometry& g, const float* x, const float* w, float* out);

}  // namespace mlx

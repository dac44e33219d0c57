// The FFT primitive (MLX's): one node per fftn/ifftn/rfftn/irfftn call, over the axes
// given. Its input is already cut or zero-padded to the transform's sizes (ops/fft.cpp), so
// the node only transforms. Gradients follow docs/complex.md's convention (a vjp applies the
// transpose of the linear map, without conjugation): the transpose of fftn is fftn, of
// ifftn is ifftn; rfftn's is the real part of fftn of the zero-padded cotangent; irfftn's
// is ifftn of the cotangent, cut to the half spectrum and doubled where that spectrum
// stands for two entries. jvp applies the same transform to the tangent; vmap shifts the
// axes past the batch axis.
#pragma once

#include <vector>

#include "primitive.h"

namespace mlx {

class FFT : public UnaryPrimitive {
 public:
  // axes: distinct, non-negative. real: forward float32 -> complex64 (the last axis keeps
  // n/2 + 1 entries) or inverse complex64 -> float32 whose last axis has `real_n` entries.
  FFT(std::vector<int> axes, bool inverse, bool real, int real_n = 0)
      : axes_(std::move(axes)), inverse_(inverse), real_(real), real_n_(real_n) {}
  MLX_PRIMITIVE_NAME(FFT, "FFT")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

  // The output shape of this transform for an input of shape `in`.
  Shape output_shape(const Shape& in) const;

 private:
  std::vector<int> axes_;
  bool inverse_, real_;
  int real_n_;
};

// Builds an FFT node on `in` (already of the transform's input dtype and sizes).
array fft_node(const array& in, std::vector<int> axes, bool inverse, bool real, int real_n = 0);

}  // namespace mlx

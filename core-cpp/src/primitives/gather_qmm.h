// MLX's GatherQMM (ops/quantized.h gather_qmm): out[i] = x[lhs[i]] @ W[rhs[i]] (.T) for
// the quantized weight matrices W, in any quantization mode. Inputs x, wq, scales,
// [biases (affine)], lhs, rhs (uint32, one shape). CPU kernel in backend/cpu/gather_qmm.h.
// vjp with respect to x (a scatter-add of the transposed product, as MLX) and, in affine
// mode, the scales and biases; the packed weights, the floating-point scale codes and the
// indices have none (MLX's errors). vmap folds the mapped axis into the indices.
#pragma once

#include "ops/quantized.h"
#include "primitive.h"

namespace mlx {

class GatherQMM : public UnaryPrimitive {
 public:
  GatherQMM(int group_size, int bits, QuantizationMode mode, bool transpose)
      : group_size_(group_size), bits_(bits), mode_(mode), transpose_(transpose) {}
  MLX_PRIMITIVE_NAME(GatherQMM, "GatherQMM")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  int group_size() const { return group_size_; }  // for device kernels (metal_backend.mm)
  int bits() const { return bits_; }
  QuantizationMode mode() const { return mode_; }
  bool transposed() const { return transpose_; }

 private:
  array scales_or_biases_grad(const std::vector<array>& primals, const array& g, bool scales) const;
  int group_size_, bits_;
  QuantizationMode mode_;
  bool transpose_;
};

}  // namespace mlx

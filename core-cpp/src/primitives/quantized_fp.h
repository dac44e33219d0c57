// The floating-point quantization modes' primitives (ops/quantized.h, mxfp4, mxfp8,
// nvfp4): FpQuantize (w -> wq, uint8 scales), FpDequantize (wq, scales -> w) and
// FpQuantizedMatmul (x, wq, scales -> y), with CPU kernels in backend/cpu/quantized_fp.h.
// The group size and bits say the mode (16 -> nvfp4; 32 with 8 bits -> mxfp8; else mxfp4).
// Gradients: only with respect to x (the codes and scale codes are integers), as in MLX.
#pragma once

#include "primitive.h"

namespace mlx {

class FpQuantize : public Primitive {
 public:
  FpQuantize(int group_size, int bits) : group_size_(group_size), bits_(bits) {}
  MLX_PRIMITIVE_NAME(FpQuantize, "FpQuantize")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  int group_size_, bits_;
};

class FpDequantize : public UnaryPrimitive {
 public:
  FpDequantize(int group_size, int bits, Dtype out_type) : group_size_(group_size), bits_(bits), out_type_(out_type) {}
  MLX_PRIMITIVE_NAME(FpDequantize, "FpDequantize")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  int group_size() const { return group_size_; }  // for device kernels (metal_backend.mm)
  int bits() const { return bits_; }

 private:
  int group_size_, bits_;
  Dtype out_type_;
};

// Inputs x, wq, scales (with a batch of weights every input broadcast to one batch shape).
class FpQuantizedMatmul : public UnaryPrimitive {
 public:
  FpQuantizedMatmul(int group_size, int bits, bool transpose)
      : group_size_(group_size), bits_(bits), transpose_(transpose) {}
  MLX_PRIMITIVE_NAME(FpQuantizedMatmul, "FpQuantizedMatmul")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  int group_size() const { return group_size_; }  // for device kernels (metal_backend.mm)
  int bits() const { return bits_; }
  bool transposed() const { return transpose_; }

 private:
  int group_size_, bits_;
  bool transpose_;
};

// The mode name of a floating-point (group_size, bits) pair.
const char* fp_mode_name(int group_size, int bits);

}  // namespace mlx

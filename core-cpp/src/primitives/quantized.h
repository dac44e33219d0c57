// The affine quantization primitives (ops/quantized.h): Quantize (w -> wq, scales, biases),
// Dequantize (wq, scales, biases -> w) and QuantizedMatmul (x, wq, scales, biases -> y).
// Each has a CPU kernel (backend/cpu/quantized.h). Gradients: Quantize has none (its codes
// are integers, as in MLX); Dequantize and QuantizedMatmul differentiate with respect to x,
// scales and biases (the packed codes are constants), and batch by moving mapped axes to
// the front.
#pragma once

#include "primitive.h"

namespace mlx {

class Quantize : public Primitive {
 public:
  Quantize(int group_size, int bits) : group_size_(group_size), bits_(bits) {}
  MLX_PRIMITIVE_NAME(Quantize, "Quantize")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  int group_size_, bits_;
};

// Inputs wq, scales, biases (scales and biases in the output dtype).
class Dequantize : public UnaryPrimitive {
 public:
  Dequantize(int group_size, int bits) : group_size_(group_size), bits_(bits) {}
  MLX_PRIMITIVE_NAME(Dequantize, "Dequantize")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  int group_size() const { return group_size_; }  // for device kernels (metal_backend.mm)
  int bits() const { return bits_; }

 private:
  int group_size_, bits_;
};

// Inputs x, wq, scales, biases (x, scales and biases in the output dtype; with a batch of
// weights every input is broadcast to one batch shape).
class QuantizedMatmul : public UnaryPrimitive {
 public:
  QuantizedMatmul(int group_size, int bits, bool transpose)
      : group_size_(group_size), bits_(bits), transpose_(transpose) {}
  MLX_PRIMITIVE_NAME(QuantizedMatmul, "QuantizedMatmul")
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

}  // namespace mlx

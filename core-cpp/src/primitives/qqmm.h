// MLX's QQMatmul (ops/quantized.h qqmm): out [M, N] = quantize-dequantize(x) @ W.T with W
// the quantized weight (uint32 codes and uint8 scales) or a floating weight quantized on
// the fly, in nvfp4 or mxfp8. Inputs x, w [, scales (w quantized)] [, global_scale_x,
// global_scale_w (nvfp4)]. CPU kernel in backend/cpu/qqmm.h.
// Gradients as MLX's (a straight-through rule: the quantization itself is not
// differentiated): dx = qqmm(g, w.T), dw = qqmm(g.T, x.T) for a floating w; a quantized w,
// its scales and the global scales have none. jvp by the same rule; vmap folds a mapped x
// into its rows (x is quantized row by row) and runs a mapped w per batch element.
#pragma once

#include "ops/quantized.h"
#include "primitive.h"

namespace mlx {

class QQMatmul : public UnaryPrimitive {
 public:
  QQMatmul(int group_size, int bits, QuantizationMode mode, bool w_quantized, bool global)
      : group_size_(group_size), bits_(bits), mode_(mode), w_quantized_(w_quantized), global_(global) {}
  MLX_PRIMITIVE_NAME(QQMatmul, "QQMatmul")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  // qqmm of other operands with this primitive's mode (no global scales).
  array product(const array& a, const array& b) const;
  // w as a floating matrix [N, K] (decoded when quantized), for the gradient of x.
  array weight(const std::vector<array>& primals, Dtype dtype) const;
  std::optional<array> scales_of(const std::vector<array>& in) const;
  std::optional<array> global_of(const std::vector<array>& in, int which) const;

  int group_size_, bits_;
  QuantizationMode mode_;
  bool w_quantized_, global_;
};

}  // namespace mlx

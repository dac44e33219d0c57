// The `fast` primitives (MLX's fast::Custom family): RMSNorm, LayerNorm, RoPE. Each runs a
// fused kernel (kernels/fast.h on the CPU, the MSL kernels of metal/kernels/fast.h on
// Metal) and keeps a `fallback`: the function building the reference composition of
// ordinary ops from its inputs. vjp, jvp and vmap transform the fallback, so gradients
// are exactly those of the composition (and of any order). LogSumExp follows the same
// pattern (primitives_softmax.h).
#pragma once

#include <memory>
#include <utility>

#include "primitive.h"
#include "transforms/eval_grad.h"

namespace mlx {

class FastPrimitive : public Primitive {
 public:
  explicit FastPrimitive(Function fallback) : fallback_(std::move(fallback)) {}
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override { return {inputs[0].shape()}; }
  const Function& fallback() const { return fallback_; }

 protected:
  // vmap when only input 0 is mapped: the primitive over x with its batch axis in front
  // (every fast op works on the trailing axes); otherwise the fallback is batched.
  std::pair<std::vector<array>, std::vector<int>> vmap_leading(const std::vector<array>& inputs,
                                                               const std::vector<int>& axes,
                                                               std::shared_ptr<Primitive> copy);
  Function fallback_;
};

class RMSNorm : public FastPrimitive {
 public:
  RMSNorm(Function fallback, double eps, bool has_w) : FastPrimitive(std::move(fallback)), eps_(eps), has_w_(has_w) {}
  MLX_PRIMITIVE_NAME(RMSNorm, "RMSNorm")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  double eps() const { return eps_; }
  bool has_weight() const { return has_w_; }

 private:
  double eps_;
  bool has_w_;
};

class LayerNorm : public FastPrimitive {
 public:
  LayerNorm(Function fallback, double eps, bool has_w, bool has_b)
      : FastPrimitive(std::move(fallback)), eps_(eps), has_w_(has_w), has_b_(has_b) {}
  MLX_PRIMITIVE_NAME(LayerNorm, "LayerNorm")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  double eps() const { return eps_; }
  bool has_weight() const { return has_w_; }
  bool has_bias() const { return has_b_; }

 private:
  double eps_;
  bool has_w_, has_b_;
};

class RoPE : public FastPrimitive {
 public:
  RoPE(Function fallback, int dims, bool traditional, double base, double scale, int offset)
      : FastPrimitive(std::move(fallback)),
        dims_(dims),
        traditional_(traditional),
        base_(base),
        scale_(scale),
        offset_(offset) {}
  MLX_PRIMITIVE_NAME(RoPE, "RoPE")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;
  int dims() const { return dims_; }
  bool traditional() const { return traditional_; }
  double base() const { return base_; }
  double scale() const { return scale_; }
  int offset() const { return offset_; }

 private:
  int dims_;
  bool traditional_;
  double base_, scale_;
  int offset_;
};

// Inputs q, k, v and, with a mask array, the mask broadcast to the scores' shape.
class ScaledDotProductAttention : public FastPrimitive {
 public:
  ScaledDotProductAttention(Function fallback, double scale, bool causal, bool has_mask)
      : FastPrimitive(std::move(fallback)), scale_(scale), causal_(causal), has_mask_(has_mask) {}
  MLX_PRIMITIVE_NAME(ScaledDotProductAttention, "ScaledDotProductAttention")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  bool is_equivalent(const Primitive& other) const override;
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  double scale() const { return scale_; }
  bool causal() const { return causal_; }
  bool has_mask() const { return has_mask_; }

 private:
  double scale_;
  bool causal_, has_mask_;
};

}  // namespace mlx

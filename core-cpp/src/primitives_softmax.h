// Softmax over the last axis as one primitive (the op falls back to a composition of
// max/exp/sum/divide for other axes).
#pragma once

#include "primitive.h"
#include "primitives_fast.h"

namespace mlx {

class Softmax : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Softmax, "Softmax")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Softmax*>(&other) != nullptr; }
};

// softmax(x) over the last axis of a floating array.
array softmax_last_axis(const array& x);

// logsumexp over the last axis (kept as size 1) with a fused kernel; its transforms come
// from the reference composition, its fallback (see FastPrimitive, primitives_fast.h).
class LogSumExp : public FastPrimitive {
 public:
  LogSumExp();
  MLX_PRIMITIVE_NAME(LogSumExp, "LogSumExp")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const LogSumExp*>(&other) != nullptr; }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
};

// logsumexp(x) over the last axis of a non-empty floating array, keeping that axis.
array logsumexp_last_axis(const array& x);

}  // namespace mlx

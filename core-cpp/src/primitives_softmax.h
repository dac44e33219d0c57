// Softmax over the last axis as one primitive (the op falls back to a composition of
// max/exp/sum/divide for other axes).
#pragma once

#include "primitive.h"

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

}  // namespace mlx

// The linalg family's primitives: Inverse and Cholesky (lower factor) of the last two axes.
// Both act on the trailing matrices, so vmap moves the batch axis to the front.
#pragma once

#include "primitive.h"

namespace mlx {

class Inverse : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Inverse, "Inverse")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Inverse*>(&other) != nullptr; }
};

class Cholesky : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Cholesky, "Cholesky")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Cholesky*>(&other) != nullptr; }
};

}  // namespace mlx

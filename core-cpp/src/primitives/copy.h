// The copy family's primitives: AsType (a converting copy), Copy and StopGradient (both
// share their input's buffer; StopGradient's vjp and jvp are zero).
#pragma once

#include "primitive.h"

namespace mlx {

// Converts to the output dtype.
class AsType : public UnaryPrimitive {
 public:
  explicit AsType(Dtype dtype) : dtype_(dtype) {}
  MLX_PRIMITIVE_NAME(AsType, "AsType")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE

 private:
  Dtype dtype_;
};

// Identity that shares its input's buffer; the tracers of the transforms are copies.
class Copy : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Copy, "Copy")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
};

// Identity in value; blocks gradients (its vjp and jvp are zero).
class StopGradient : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(StopGradient, "StopGradient")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
};

}  // namespace mlx

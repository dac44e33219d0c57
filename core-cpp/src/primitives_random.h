// The random family's primitives: RandomBits (a key -> the bits of a shape) and
// RandomTransform (bits -> samples of a distribution). Bits carry no gradient; the
// distributions' location/scale/bounds are applied with differentiable ops, except the
// truncated normal's bounds, whose gradient RandomTransform computes itself.
#pragma once

#include "kernels/random.h"
#include "primitive.h"

namespace mlx {

class RandomBits : public UnaryPrimitive {
 public:
  RandomBits(Shape shape, int width) : shape_(std::move(shape)), width_(width) {}
  MLX_PRIMITIVE_NAME(RandomBits, "RandomBits")
  void eval(const std::vector<array>& inputs, array& out) override;
  bool is_equivalent(const Primitive& other) const override;

 private:
  Shape shape_;
  int width_;
};

class RandomTransform : public UnaryPrimitive {
 public:
  explicit RandomTransform(RandomKind kind) : kind_(kind) {}
  MLX_PRIMITIVE_NAME(RandomTransform, "RandomTransform")
  void eval(const std::vector<array>& inputs, array& out) override;
  // Only TruncatedNormal has differentiable inputs (its bounds).
  MLX_GRADS
  bool is_equivalent(const Primitive& other) const override;

 private:
  RandomKind kind_;
};

}  // namespace mlx

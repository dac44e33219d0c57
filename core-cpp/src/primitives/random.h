// The random family's primitives: RandomBits (a key -> the bits of a shape) and
// RandomTransform (bits -> samples of a distribution). Bits carry no gradient; the
// distributions' location/scale/bounds are applied with differentiable ops, except the
// truncated normal's bounds, whose gradient RandomTransform computes itself.
#pragma once

#include "backend/cpu/random.h"
#include "primitive.h"

namespace mlx {

// The bits of `shape` from a key of shape K + (2): every key fills its own equal,
// contiguous part of the output (the output is K + shape). Ops make it with one key; a
// batch of keys comes from vmap, which gives each batch element its own key's stream
// (MLX's behaviour), so a vmapped draw equals a loop over the keys.
class RandomBits : public UnaryPrimitive {
 public:
  RandomBits(Shape shape, int width) : shape_(std::move(shape)), width_(width) {}
  MLX_PRIMITIVE_NAME(RandomBits, "RandomBits")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;

 private:
  Shape shape_;
  int width_;
};

// Element-wise over its inputs (the bits and the parameters, all of the output's shape);
// `dtype` is the output's (the bits alone do not tell float16 from float32).
class RandomTransform : public UnaryPrimitive {
 public:
  RandomTransform(RandomKind kind, Dtype dtype) : kind_(kind), dtype_(dtype) {}
  MLX_PRIMITIVE_NAME(RandomTransform, "RandomTransform")
  void eval(const std::vector<array>& inputs, array& out) override;
  // Only TruncatedNormal has differentiable inputs (its bounds).
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;

 private:
  RandomKind kind_;
  Dtype dtype_;
};

}  // namespace mlx

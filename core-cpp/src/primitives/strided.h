// The strided-view family's primitives: AsStrided (a view with its own strides and offset
// over a flat input) and Contiguous (a dense layout, sharing the input when it has one).
#pragma once

#include "primitive.h"

namespace mlx {

class AsStrided : public UnaryPrimitive {
 public:
  AsStrided(Shape shape, Strides strides, int64_t offset)
      : shape_(std::move(shape)), strides_(std::move(strides)), offset_(offset) {}
  MLX_PRIMITIVE_NAME(AsStrided, "AsStrided")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  bool is_equivalent(const Primitive& other) const override;

 private:
  Shape shape_;
  Strides strides_;
  int64_t offset_;
};

class Contiguous : public UnaryPrimitive {
 public:
  explicit Contiguous(bool allow_col_major) : allow_col_major_(allow_col_major) {}
  MLX_PRIMITIVE_NAME(Contiguous, "Contiguous")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override;

 private:
  bool allow_col_major_;
};

}  // namespace mlx

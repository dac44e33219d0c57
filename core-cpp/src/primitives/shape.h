// Primitives of the shape family: concatenate (a copy) and diagonal (a view). Everything
// else is a composition of views, slices and concatenation.
#pragma once

#include "primitive.h"

namespace mlx {

// Joins its inputs (same dtype, same shape but along axis_) along axis_: each input is
// copied into its region of a fresh row-contiguous output.
class Concatenate : public UnaryPrimitive {
 public:
  explicit Concatenate(int axis) : axis_(axis) {}
  MLX_PRIMITIVE_NAME(Concatenate, "Concatenate")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Concatenate*>(&other);
    return o != nullptr && o->axis_ == axis_;
  }

 private:
  int axis_;
};

// The diagonal of the (axis1, axis2) planes as a strided view: the other axes in order,
// then the diagonal with stride strides[axis1] + strides[axis2].
class Diagonal : public UnaryPrimitive {
 public:
  Diagonal(int offset, int axis1, int axis2) : offset_(offset), axis1_(axis1), axis2_(axis2) {}
  MLX_PRIMITIVE_NAME(Diagonal, "Diagonal")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Diagonal*>(&other);
    return o != nullptr && o->offset_ == offset_ && o->axis1_ == axis1_ && o->axis2_ == axis2_;
  }

 private:
  int offset_, axis1_, axis2_;  // axes non-negative and distinct
};

// ---- views (share the input's buffer) ------------------------------------------------
// `requested` is the shape as the caller wrote it (one -1 allowed): a shapeless compile
// infers the output shape from it and the new input's size, as MLX does.
class Reshape : public UnaryPrimitive {
 public:
  Reshape(Shape shape, Shape requested) : shape_(std::move(shape)), requested_(std::move(requested)) {}
  MLX_PRIMITIVE_NAME(Reshape, "Reshape")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  Shape shape_;
  Shape requested_;
};

class Transpose : public UnaryPrimitive {
 public:
  explicit Transpose(std::vector<int> axes) : axes_(std::move(axes)) {}
  MLX_PRIMITIVE_NAME(Transpose, "Transpose")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  std::vector<int> axes_;
};

// `in_shape` is the input's shape when the op was built: for a shapeless compile, the
// output's dimensions that the input supplied follow a new input, and the broadcast ones
// (input size 1, or new leading axes) keep their size.
class Broadcast : public UnaryPrimitive {
 public:
  Broadcast(Shape shape, Shape in_shape) : shape_(std::move(shape)), in_shape_(std::move(in_shape)) {}
  MLX_PRIMITIVE_NAME(Broadcast, "Broadcast")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  Shape shape_;
  Shape in_shape_;
};

// Reinterprets the input's bytes as another dtype (no gradient: the values are not a
// differentiable function of the input's).
class View : public UnaryPrimitive {
 public:
  explicit View(Dtype dtype) : dtype_(dtype) {}
  MLX_PRIMITIVE_NAME(View, "View")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_VMAP

 private:
  Dtype dtype_;
};

}  // namespace mlx

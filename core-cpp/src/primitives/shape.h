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
class Reshape : public UnaryPrimitive {
 public:
  explicit Reshape(Shape shape) : shape_(std::move(shape)) {}
  MLX_PRIMITIVE_NAME(Reshape, "Reshape")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  Shape shape_;
};

class Transpose : public UnaryPrimitive {
 public:
  explicit Transpose(std::vector<int> axes) : axes_(std::move(axes)) {}
  MLX_PRIMITIVE_NAME(Transpose, "Transpose")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  std::vector<int> axes_;
};

class Broadcast : public UnaryPrimitive {
 public:
  explicit Broadcast(Shape shape) : shape_(std::move(shape)) {}
  MLX_PRIMITIVE_NAME(Broadcast, "Broadcast")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  Shape shape_;
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

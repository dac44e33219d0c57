// The primitives of the first op slice: sum/max, views, casts, matmul and arange (its
// element-wise arithmetic is in primitives_elementwise.h). Each computes its outputs (eval) and has vjp and jvp rules.
#pragma once

#include <string>
#include <vector>

#include "array.h"
#include "kernels/reduce.h"
#include "primitive.h"

namespace mlx {

// ---- linear algebra -------------------------------------------------------------------
class Matmul : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Matmul, "Matmul")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Matmul*>(&other) != nullptr; }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
};

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

// ---- reductions ---------------------------------------------------------------------
// Output keeps the reduced axes with length 1 (the op squeezes them away afterwards).
class Reduce : public UnaryPrimitive {
 public:
  Reduce(ReduceType type, std::vector<int> axes) : type_(type), axes_(std::move(axes)) {}
  const char* name() const override { return reduce_type_name(type_); }
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  ReduceType type_;
  std::vector<int> axes_;
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

// ---- creation -----------------------------------------------------------------------
class Arange : public UnaryPrimitive {
 public:
  Arange(double start, double step) : start_(start), step_(step) {}
  MLX_PRIMITIVE_NAME(Arange, "Arange")
  void eval(const std::vector<array>& inputs, array& out) override;

 private:
  double start_, step_;
};


}  // namespace mlx

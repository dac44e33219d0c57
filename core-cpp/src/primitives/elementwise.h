// Primitives of the element-wise family. Rather than one class per op, each arity has one
// primitive parameterised by the op (an enum generated from elementwise_table.h): eval
// picks the functor, the gradient rules are one switch, and compile's is_equivalent
// compares the op.
#pragma once

#include <vector>

#include "array.h"
#include "backend/cpu/fused.h"
#include "elementwise_table.h"
#include "primitive.h"

namespace mlx {

// UnaryOp::Name and BinaryOp::Name for every line of elementwise_table.h, in its order.
#define MLX_EW_ENUM(NAME, ...) NAME,
enum class UnaryOp { MLX_ELEMENTWISE_UNARY(MLX_EW_ENUM) };
enum class BinaryOp { MLX_ELEMENTWISE_BINARY(MLX_EW_ENUM) };
#undef MLX_EW_ENUM

class ElementwiseUnary : public UnaryPrimitive {
 public:
  explicit ElementwiseUnary(UnaryOp op) : op_(op) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  // The table says which ops fuse.
  int fused_op() const override;
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const ElementwiseUnary*>(&other);
    return o && o->op_ == op_;
  }
  UnaryOp op() const { return op_; }

 private:
  UnaryOp op_;
};

class ElementwiseBinary : public UnaryPrimitive {
 public:
  explicit ElementwiseBinary(BinaryOp op) : op_(op) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  // The table says which ops fuse.
  int fused_op() const override;
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const ElementwiseBinary*>(&other);
    return o && o->op_ == op_;
  }
  BinaryOp op() const { return op_; }

 private:
  BinaryOp op_;
};

// Two outputs: floor_divide(a, b) and remainder(a, b).
class DivMod : public Primitive {
 public:
  MLX_PRIMITIVE_NAME(DivMod, "DivMod")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const DivMod*>(&other) != nullptr; }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override {
    return {inputs[0].shape(), inputs[0].shape()};
  }
};

// Replaces NaN, +inf and -inf by the given values (the op resolves the defaults).
class NanToNum : public UnaryPrimitive {
 public:
  NanToNum(double nan, double posinf, double neginf) : nan_(nan), posinf_(posinf), neginf_(neginf) {}
  MLX_PRIMITIVE_NAME(NanToNum, "NanToNum")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const NanToNum*>(&other);
    return o && o->nan_ == nan_ && o->posinf_ == posinf_ && o->neginf_ == neginf_;
  }

 private:
  double nan_, posinf_, neginf_;
};

// vmap of an element-wise primitive whose inputs share one shape: moves every batch axis
// to the front and broadcasts the unbatched inputs along a new leading axis of the batch
// size, so all inputs have the batched shape (returned). The output's batch axis is 0.
Shape batch_elementwise_inputs(std::vector<array>& xs, const std::vector<int>& axes);

}  // namespace mlx

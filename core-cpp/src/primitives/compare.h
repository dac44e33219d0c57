// Primitives of the comparison family: element-wise predicates (bool outputs, no
// gradient: their vjp and jvp are zeros, as in MLX) and Select, the primitive of where.
#pragma once

#include <vector>

#include "primitive.h"

namespace mlx {

enum class CompareType { Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual };

// equal_nan only matters for Equal (array_equal's option).
class Compare : public UnaryPrimitive {
 public:
  explicit Compare(CompareType type, bool equal_nan = false) : type_(type), equal_nan_(equal_nan) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override;

 private:
  CompareType type_;
  bool equal_nan_;
};

class IsClose : public UnaryPrimitive {
 public:
  IsClose(double rtol, double atol, bool equal_nan) : rtol_(rtol), atol_(atol), equal_nan_(equal_nan) {}
  MLX_PRIMITIVE_NAME(IsClose, "IsClose")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const IsClose*>(&other);
    return o && o->rtol_ == rtol_ && o->atol_ == atol_ && o->equal_nan_ == equal_nan_;
  }

 private:
  double rtol_, atol_;
  bool equal_nan_;
};

// Inputs: cond (bool), x, y, all of the output's shape; x and y of its dtype.
class Select : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Select, "Select")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Select*>(&other) != nullptr; }
};

}  // namespace mlx

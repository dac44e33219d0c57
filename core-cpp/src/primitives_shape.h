// Primitives of the shape family. Only concatenate needs one: everything else is a
// composition of views, slices and concatenation.
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
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Concatenate*>(&other);
    return o != nullptr && o->axis_ == axis_;
  }

 private:
  int axis_;
};

}  // namespace mlx

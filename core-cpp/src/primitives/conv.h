// The direct conv2d primitive (kernels/conv_direct): forward without an im2col; vjp through
// conv2d_composed, jvp by bilinearity, vmap over the input's batch axis.
#pragma once

#include "ops/conv.h"
#include "primitive.h"

namespace mlx {

class Conv2dDirect : public UnaryPrimitive {
 public:
  explicit Conv2dDirect(const Conv2dParams& p) : p_(p) {}
  MLX_PRIMITIVE_NAME(Conv2dDirect, "Conv2dDirect")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Conv2dDirect*>(&other);
    return o != nullptr && o->p_ == p_;
  }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  const Conv2dParams& params() const { return p_; }

 private:
  Conv2dParams p_;
};

// The output shape of conv2d(x, w) (throws std::invalid_argument on bad shapes).
Shape conv2d_output_shape(const Shape& x, const Shape& w, const Conv2dParams& p);

}  // namespace mlx

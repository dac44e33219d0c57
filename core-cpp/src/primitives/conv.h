// The direct convolution primitive (backend/cpu/conv_direct; 1 to 3 spatial axes): forward
// without an im2col; vjp through conv_composed, jvp by bilinearity, vmap over the input's
// batch axis.
#pragma once

#include "ops/conv.h"
#include "primitive.h"

namespace mlx {

class ConvDirect : public UnaryPrimitive {
 public:
  explicit ConvDirect(const ConvParams& p) : p_(p) {}
  MLX_PRIMITIVE_NAME(ConvDirect, "ConvDirect")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const ConvDirect*>(&other);
    return o != nullptr && o->p_ == p_;
  }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  const ConvParams& params() const { return p_; }

 private:
  ConvParams p_;
};

// The output shape of conv(x, w) (throws std::invalid_argument on bad shapes).
Shape conv_output_shape(const Shape& x, const Shape& w, const ConvParams& p);

}  // namespace mlx

// The Hadamard primitive (ops/hadamard.h): scale * H x along the last axis.
#pragma once

#include "primitive.h"

namespace mlx {

class Hadamard : public UnaryPrimitive {
 public:
  // transposed: applies H^T (the vjp of H; H_20 and H_28 are not symmetric).
  explicit Hadamard(double scale, bool transposed = false) : scale_(scale), transposed_(transposed) {}
  MLX_PRIMITIVE_NAME(Hadamard, "Hadamard")
  void eval(const std::vector<array>& inputs, array& out) override;
  // Linear: the jvp is the transform itself and the vjp its transpose (MLX applies the
  // transform itself, which differs for n = 20 * 2^k and 28 * 2^k, whose matrices are not
  // symmetric). vmap: any axis but the last is a batch axis.
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Hadamard*>(&other);
    return o && o->scale_ == scale_ && o->transposed_ == transposed_;
  }

 private:
  double scale_;
  bool transposed_;
};

}  // namespace mlx

// Primitives of the matrix-level gathers (ops/gather_mm.h): GatherMM and SegmentedMM. Both
// evaluate with backend/cpu/gather_mm (the matmul kernel on the selected operands).
#pragma once

#include "primitive.h"

namespace mlx {

// inputs: a [..., M, K], b [..., K, N], lhs_indices, rhs_indices (uint32, one shape S).
class GatherMM : public UnaryPrimitive {
 public:
  GatherMM(bool left_sorted, bool right_sorted) : left_sorted_(left_sorted), right_sorted_(right_sorted) {}
  MLX_PRIMITIVE_NAME(GatherMM, "GatherMM")
  void eval(const std::vector<array>& inputs, array& out) override;
  // MLX's rule for a and b (the products scattered back, summed over repeated indices); the
  // indices have none. vmap: the per-element fallback.
  MLX_GRADS
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const GatherMM*>(&other);
    return o && o->left_sorted_ == left_sorted_ && o->right_sorted_ == right_sorted_;
  }

 private:
  bool left_sorted_, right_sorted_;
};

// inputs: a [M, K], b [K, N], segments uint32 [..., 2].
class SegmentedMM : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(SegmentedMM, "SegmentedMM")
  void eval(const std::vector<array>& inputs, array& out) override;
  // Linear in a and in b: each segment's product differentiated with a mask on the inner axis.
  MLX_GRADS
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const SegmentedMM*>(&other) != nullptr; }
};

}  // namespace mlx

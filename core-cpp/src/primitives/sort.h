// The sorting family's primitive. SortPrimitive computes every sort-like op; its value
// outputs (sort, partition, top-k) differentiate through the permutation: the vjp puts
// cotangents back with put_along_axis, the jvp gathers tangents with take_along_axis.
#pragma once

#include "backend/cpu/sort.h"
#include "primitive.h"

namespace mlx {

class SortPrimitive : public UnaryPrimitive {
 public:
  SortPrimitive(SortKind kind, int axis, int param) : kind_(kind), axis_(axis), param_(param) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override;

 private:
  SortKind kind_;
  int axis_;
  int param_;
};

}  // namespace mlx

// The sorting family's primitives. SortPrimitive computes every sort-like op; its value
// outputs (sort, partition, top-k) differentiate through the permutation: the vjp scatters
// cotangents back with ScatterAddAxis, the jvp gathers tangents with GatherAxis. These two
// are internal primitives (there is no public take_along_axis / scatter in this branch).
#pragma once

#include "kernels/sort.h"
#include "primitive.h"

namespace mlx {

class SortPrimitive : public UnaryPrimitive {
 public:
  SortPrimitive(SortKind kind, int axis, int param) : kind_(kind), axis_(axis), param_(param) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  bool is_equivalent(const Primitive& other) const override;

 private:
  SortKind kind_;
  int axis_;
  int param_;
};

// out = x gathered along axis by uint32 indices (inputs: x, idx).
class GatherAxis : public UnaryPrimitive {
 public:
  explicit GatherAxis(int axis) : axis_(axis) {}
  MLX_PRIMITIVE_NAME(GatherAxis, "GatherAxis")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS

 private:
  int axis_;
};

// out (zeros of the output shape) += v at the indices along axis (inputs: v, idx).
class ScatterAddAxis : public UnaryPrimitive {
 public:
  ScatterAddAxis(int axis, int n) : axis_(axis), n_(n) {}
  MLX_PRIMITIVE_NAME(ScatterAddAxis, "ScatterAddAxis")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS

 private:
  int axis_;
  int n_;  // the output's length along axis
};

}  // namespace mlx

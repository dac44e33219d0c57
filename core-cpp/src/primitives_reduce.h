// Primitives of the reduce family (arg reductions, scans) and the gradient rules of the
// Reduce primitive (declared in primitives.h), which delegates to reduce_vjp / reduce_jvp.
#pragma once

#include <vector>

#include "backend/cpu/reduce.h"
#include "backend/cpu/scan.h"
#include "primitive.h"

namespace mlx {

// The cotangent of Reduce's input given the cotangent of its output (which keeps the
// reduced axes as size 1) and that output.
array reduce_vjp(ReduceType type, const std::vector<int>& axes, const array& x, const array& cot, const array& out);
// The tangent of Reduce's output (reduced axes kept as size 1).
array reduce_jvp(ReduceType type, const std::vector<int>& axes, const array& x, const array& tan);

// argmin/argmax along one axis; the output keeps that axis as size 1 and is uint32.
class ArgReduce : public UnaryPrimitive {
 public:
  ArgReduce(bool is_max, int axis) : is_max_(is_max), axis_(axis) {}
  const char* name() const override { return is_max_ ? "ArgMax" : "ArgMin"; }
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const ArgReduce*>(&other);
    return o && o->is_max_ == is_max_ && o->axis_ == axis_;
  }

 private:
  bool is_max_;
  int axis_;
};

class Scan : public UnaryPrimitive {
 public:
  Scan(ScanType type, int axis, bool reverse, bool inclusive)
      : type_(type), axis_(axis), reverse_(reverse), inclusive_(inclusive) {}
  const char* name() const override { return scan_type_name(type_); }
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Scan*>(&other);
    return o && o->type_ == type_ && o->axis_ == axis_ && o->reverse_ == reverse_ && o->inclusive_ == inclusive_;
  }

 private:
  ScanType type_;
  int axis_;
  bool reverse_, inclusive_;
};

}  // namespace mlx

// Primitives of the reduce family: Reduce (sum, max, ...), the arg reductions, the scans,
// Softmax over the last axis (the op falls back to a composition of max/exp/sum/divide
// for other axes) and LogSumExp (a FastPrimitive: its transforms are those of its
// reference composition). Reduce's gradient rules are reduce_vjp / reduce_jvp.
#pragma once

#include <vector>

#include "backend/cpu/reduce.h"
#include "backend/cpu/scan.h"
#include "primitive.h"
#include "primitives/fast.h"

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

// sum/max (and mean through sum): output keeps the reduced axes with length 1 (the op
// squeezes them away afterwards).
class Reduce : public UnaryPrimitive {
 public:
  Reduce(ReduceType type, std::vector<int> axes) : type_(type), axes_(std::move(axes)) {}
  const char* name() const override { return reduce_type_name(type_); }
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  ReduceType type_;
  std::vector<int> axes_;
};

class Softmax : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Softmax, "Softmax")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Softmax*>(&other) != nullptr; }
};

// softmax(x) over the last axis of a floating array.
array softmax_last_axis(const array& x);

// logsumexp over the last axis (kept as size 1) with a fused kernel; its transforms come
// from the reference composition, its fallback (see FastPrimitive, primitives/fast.h).
class LogSumExp : public FastPrimitive {
 public:
  LogSumExp();
  MLX_PRIMITIVE_NAME(LogSumExp, "LogSumExp")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const LogSumExp*>(&other) != nullptr; }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
};

// logsumexp(x) over the last axis of a non-empty floating array, keeping that axis.
array logsumexp_last_axis(const array& x);

}  // namespace mlx

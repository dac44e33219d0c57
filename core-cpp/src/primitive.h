// The Primitive interface every graph node implements, and the helpers and macros that
// keep each concrete primitive short.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "array.h"

namespace mlx {

class Primitive {
 public:
  virtual ~Primitive() = default;
  virtual const char* name() const = 0;
  // Computes every output; inputs are evaluated, outputs have shape and dtype set.
  virtual void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) = 0;

  // Reverse mode: the cotangents of the inputs listed in `argnums`, in that order, given
  // the cotangents of every output (`outputs` are the forward results, e.g. exp(x)).
  virtual std::vector<array> vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                 const std::vector<int>& argnums, const std::vector<array>& outputs);
  // Forward mode: the tangents of every output, given the tangents of the inputs listed
  // in `argnums` (the other inputs have zero tangents).
  virtual std::vector<array> jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                 const std::vector<int>& argnums);
  // Batching: the outputs and their mapped axes given inputs mapped along `axes` (-1: not
  // mapped). The default returns nothing, and vmap then applies the primitive to each batch
  // element and stacks the results: always correct, a specific rule is faster.
  virtual std::pair<std::vector<array>, std::vector<int>> vmap(const std::vector<array>& inputs,
                                                               const std::vector<int>& axes);

  // Whether `other` computes the same function (used by compile to merge nodes).
  virtual bool is_equivalent(const Primitive& other) const { return false; }

  // For compile: the element-wise operation this primitive is, as a FusedOp code
  // (kernels/fused.h), or -1 when it cannot join a fused kernel.
  virtual int fused_op() const { return -1; }
  // For shapeless compile: the output shapes for inputs of new shapes. The default says
  // the primitive cannot be replayed shapeless.
  virtual std::vector<Shape> output_shapes(const std::vector<array>& inputs);
};

// A primitive with exactly one output.
class UnaryPrimitive : public Primitive {
 public:
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) final {
    eval(inputs, outputs[0]);
  }
  virtual void eval(const std::vector<array>& inputs, array& out) = 0;
};

#define MLX_PRIMITIVE_NAME(NAME, LABEL) \
  const char* name() const override { return LABEL; }

// Declares the vjp and jvp rules of a primitive.
#define MLX_GRADS                                                                                  \
  std::vector<array> vjp(const std::vector<array>& primals, const std::vector<array>& cotangents, \
                         const std::vector<int>& argnums, const std::vector<array>& outputs) override; \
  std::vector<array> jvp(const std::vector<array>& primals, const std::vector<array>& tangents,  \
                         const std::vector<int>& argnums) override;

// Declares the vmap rule of a primitive.
#define MLX_VMAP                                                                                 \
  std::pair<std::vector<array>, std::vector<int>> vmap(const std::vector<array>& inputs,        \
                                                       const std::vector<int>& axes) override;

// Output shape = the first input's shape (identities, casts).
#define MLX_SAME_SHAPE                                                          \
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override { \
    return {inputs[0].shape()};                                                 \
  }

}  // namespace mlx

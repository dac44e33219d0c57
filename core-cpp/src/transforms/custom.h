// Transforms defined by the user: custom_function (user vjp/jvp rules around a function)
// and checkpoint (recompute instead of keep), with the primitives that carry them.
#pragma once

#include <functional>
#include <optional>

#include "primitive.h"
#include "transforms/eval_grad.h"

namespace mlx {

// (primals, cotangents, outputs) -> one cotangent per primal.
using VjpRule = std::function<std::vector<array>(const std::vector<array>&, const std::vector<array>&,
                                                 const std::vector<array>&)>;
// (primals, tangents: one per primal, zeros where none) -> one tangent per output.
using JvpRule = std::function<std::vector<array>(const std::vector<array>&, const std::vector<array>&)>;

// (batched args, their batch axes: -1 for none) -> (outputs, their batch axes).
using VmapRule = std::function<std::pair<std::vector<array>, std::vector<int>>(const std::vector<array>&,
                                                                               const std::vector<int>&)>;

// A function computing fun(args) whose transforms come from the given rules; a missing
// rule falls back to transforming fun itself.
Function custom_function(Function fun, std::optional<VjpRule> vjp_rule, std::optional<JvpRule> jvp_rule,
                         std::optional<VmapRule> vmap_rule = std::nullopt);

// fun's values and gradients, but its intermediates are recomputed during the backward
// pass instead of being kept from the forward pass.
Function checkpoint(Function fun);

// The arrays `inputs`, unchanged, but ordered after `deps` are computed (the recomputation
// of checkpoint must not start before the forward outputs exist).
std::vector<array> depends(const std::vector<array>& inputs, const std::vector<array>& deps);

// inputs: args ++ outputs of fun (made stop_gradient); outputs share the trailing inputs'
// buffers. Its vjp/jvp run the rules.
class CustomTransforms : public Primitive {
 public:
  CustomTransforms(int num_outputs, Function fun, std::optional<VjpRule> vjp_rule, std::optional<JvpRule> jvp_rule,
                   std::optional<VmapRule> vmap_rule)
      : num_outputs_(num_outputs),
        fun_(std::move(fun)),
        vjp_(std::move(vjp_rule)),
        jvp_(std::move(jvp_rule)),
        vmap_(std::move(vmap_rule)) {}
  const char* name() const override { return "CustomTransforms"; }
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_GRADS
  MLX_VMAP

 private:
  int num_outputs_;
  Function fun_;
  std::optional<VjpRule> vjp_;
  std::optional<JvpRule> jvp_;
  std::optional<VmapRule> vmap_;
};

// inputs: values ++ deps; outputs: the values.
class Depends : public Primitive {
 public:
  explicit Depends(int num_values) : num_values_(num_values) {}
  const char* name() const override { return "Depends"; }
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_GRADS
  MLX_VMAP

 private:
  int num_values_;
};

}  // namespace mlx

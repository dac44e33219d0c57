#include "transforms/custom.h"

#include <stdexcept>

#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

std::vector<Shape> shapes_of(const std::vector<array>& xs) {
  std::vector<Shape> s;
  for (auto& x : xs) s.push_back(x.shape());
  return s;
}
std::vector<Dtype> dtypes_of(const std::vector<array>& xs) {
  std::vector<Dtype> d;
  for (auto& x : xs) d.push_back(x.dtype());
  return d;
}

}  // namespace

Function custom_function(Function fun, std::optional<VjpRule> vjp_rule, std::optional<JvpRule> jvp_rule,
                         std::optional<VmapRule> vmap_rule) {
  return [fun, vjp_rule, jvp_rule, vmap_rule](const std::vector<array>& args) {
    std::vector<array> outputs = fun(args);
    if (outputs.empty()) throw std::invalid_argument("[custom_function] The function must return at least one array.");
    // The graph through fun is hidden from the transforms: they see only this primitive.
    std::vector<array> inputs = args;
    for (auto& o : outputs) inputs.push_back(stop_gradient(o));
    auto prim =
        std::make_shared<CustomTransforms>(static_cast<int>(outputs.size()), fun, vjp_rule, jvp_rule, vmap_rule);
    return array::make_arrays(shapes_of(outputs), dtypes_of(outputs), prim, inputs);
  };
}

void CustomTransforms::eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) {
  size_t first = inputs.size() - outputs.size();
  for (size_t i = 0; i < outputs.size(); ++i) outputs[i].copy_shared_buffer(inputs[first + i]);
}

std::vector<array> CustomTransforms::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                         const std::vector<int>& argnums, const std::vector<array>& outputs) {
  size_t nargs = primals.size() - num_outputs_;
  std::vector<array> args(primals.begin(), primals.begin() + nargs);
  std::vector<array> all;
  if (vjp_) {
    all = (*vjp_)(args, cotangents, outputs);
  } else {
    all = mlx::vjp(fun_, args, cotangents).second;
  }
  if (all.size() != nargs) {
    throw std::invalid_argument("[custom_function] The vjp function returned " + std::to_string(all.size()) +
                                " cotangents for " + std::to_string(nargs) + " inputs.");
  }
  std::vector<array> out;
  for (int i : argnums) {
    if (static_cast<size_t>(i) >= nargs) {
      out.push_back(zeros_like(primals[i]));  // the stop_gradient'ed outputs
      continue;
    }
    const array& g = all[i];
    if (g.shape() != args[i].shape()) {
      throw std::invalid_argument("[custom_function] The vjp of input " + std::to_string(i) + " has shape " +
                                  shape_string(g.shape()) + " but the input has shape " +
                                  shape_string(args[i].shape()) + ".");
    }
    out.push_back(astype(g, args[i].dtype()));
  }
  return out;
}

std::vector<array> CustomTransforms::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                         const std::vector<int>& argnums) {
  size_t nargs = primals.size() - num_outputs_;
  std::vector<array> args(primals.begin(), primals.begin() + nargs);
  std::vector<array> tans;
  for (size_t i = 0; i < nargs; ++i) tans.push_back(zeros_like(args[i]));
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (static_cast<size_t>(argnums[k]) < nargs) tans[argnums[k]] = tangents[k];
  }
  std::vector<array> out = jvp_ ? (*jvp_)(args, tans) : mlx::jvp(fun_, args, tans).second;
  if (static_cast<int>(out.size()) != num_outputs_) {
    throw std::invalid_argument("[custom_function] The jvp function returned " + std::to_string(out.size()) +
                                " tangents for " + std::to_string(num_outputs_) + " outputs.");
  }
  return out;
}

std::vector<array> depends(const std::vector<array>& inputs, const std::vector<array>& deps) {
  std::vector<array> all = inputs;
  all.insert(all.end(), deps.begin(), deps.end());
  return array::make_arrays(shapes_of(inputs), dtypes_of(inputs),
                            std::make_shared<Depends>(static_cast<int>(inputs.size())), all);
}

void Depends::eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) outputs[i].copy_shared_buffer(inputs[i]);
}

std::vector<array> Depends::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) {
    out.push_back(static_cast<size_t>(i) < cotangents.size() ? cotangents[i] : zeros_like(primals[i]));
  }
  return out;
}

std::vector<array> Depends::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                const std::vector<int>& argnums) {
  std::vector<array> out;
  for (int i = 0; i < num_values_; ++i) {
    array t = zeros_like(primals[i]);
    for (size_t k = 0; k < argnums.size(); ++k)
      if (argnums[k] == i) t = tangents[k];
    out.push_back(t);
  }
  return out;
}

std::pair<std::vector<array>, std::vector<int>> CustomTransforms::vmap(const std::vector<array>& inputs,
                                                                       const std::vector<int>& axes) {
  size_t nargs = inputs.size() - num_outputs_;
  std::vector<array> args(inputs.begin(), inputs.begin() + nargs);
  std::vector<int> arg_axes(axes.begin(), axes.begin() + nargs);
  if (!vmap_) return vmap_trace(fun_, args, arg_axes);  // batch the function itself
  auto [outs, out_axes] = (*vmap_)(args, arg_axes);
  if (static_cast<int>(outs.size()) != num_outputs_ || out_axes.size() != outs.size()) {
    throw std::invalid_argument("[custom_function] The vmap function returned " + std::to_string(outs.size()) +
                                " outputs (and " + std::to_string(out_axes.size()) + " axes) for " +
                                std::to_string(num_outputs_) + " outputs.");
  }
  return {outs, out_axes};
}

std::pair<std::vector<array>, std::vector<int>> Depends::vmap(const std::vector<array>& inputs,
                                                              const std::vector<int>& axes) {
  std::vector<array> values(inputs.begin(), inputs.begin() + num_values_);
  std::vector<array> deps(inputs.begin() + num_values_, inputs.end());
  std::vector<int> out_axes(axes.begin(), axes.begin() + num_values_);
  return {depends(values, deps), out_axes};
}

Function checkpoint(Function fun) {
  VjpRule rule = [fun](const std::vector<array>& primals, const std::vector<array>& cotangents,
                       const std::vector<array>& outputs) {
    return mlx::vjp(fun, depends(primals, outputs), cotangents).second;
  };
  return custom_function(fun, rule, std::nullopt);
}

}  // namespace mlx

#include "transforms/eval_grad.h"

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ops.h"
#include "transforms/compile.h"
#include "device_hooks.h"
#include "transforms/graph_walk.h"
#include "primitives.h"

namespace mlx {

namespace {

// The unevaluated nodes behind `outputs`, inputs before the nodes that use them.
std::vector<array> topological_tape(const std::vector<array>& outputs) {
  std::vector<array> tape;
  walk_graph(
      outputs, [](const array& a) { return a.is_evaluated(); },
      [&](array& node) { tape.push_back(std::move(node)); });
  return tape;
}

// The nodes between the tracers and the outputs, in dependency order: a node is recorded
// when one of its inputs depends on a tracer. stop_gradient nodes cut the dependency.
std::vector<array> dependent_tape(const std::vector<array>& tracers, const std::vector<array>& outputs,
                                  std::unordered_set<uintptr_t>& depends) {
  for (auto& t : tracers) depends.insert(t.id());
  std::vector<array> tape;
  // Stops at the tracers: before a node is recorded, they are all `depends` holds.
  auto is_tracer = [&](const array& a) { return depends.count(a.id()) > 0; };
  walk_graph(outputs, is_tracer, [&](array& node) {
    if (!node.has_primitive() || dynamic_cast<StopGradient*>(&node.primitive())) return;
    bool dep = false;
    for (auto& in : node.inputs()) dep = dep || depends.count(in.id());
    if (!dep) return;
    for (auto& s : node.outputs()) depends.insert(s.id());
    tape.push_back(std::move(node));
  });
  return tape;
}

std::vector<array> make_tracers(const std::vector<array>& primals) {
  std::vector<array> tracers;
  for (auto& p : primals) {
    array t = copy(p);
    t.set_tracer(true);
    tracers.push_back(std::move(t));
  }
  return tracers;
}

bool is_stop_gradient(const array& a) {
  return a.has_primitive() && dynamic_cast<StopGradient*>(&a.primitive()) != nullptr;
}

}  // namespace

namespace {
std::atomic<size_t> kernels_run{0};
}

size_t kernel_count() { return kernels_run.load(); }

EvalSession::EvalSession(std::vector<array> outputs) : outputs_(std::move(outputs)) {
  tape_ = topological_tape(outputs_);
}

bool EvalSession::step(size_t budget) {
  for (; next_ < tape_.size() && budget > 0; ++next_, --budget) {
    array& node = tape_[next_];
    // Someone else (a synchronous eval meanwhile) may have computed it already.
    if (!node.is_evaluated()) {
      if (!node.has_primitive()) {
        throw std::invalid_argument(
            "[eval] Attempting to evaluate an array without a value: inside vmap, the mapped inputs are "
            "placeholders, so eval, item() and tolist() cannot be used on arrays computed from them.");
      }
      std::vector<array> outs = node.outputs();
      // A device backend (Metal) may take the node; otherwise the CPU kernel runs.
      if (!(device_hooks::eval && device_hooks::eval(node.primitive(), node.inputs(), outs))) {
        node.primitive().eval_cpu(node.inputs(), outs);
      }
      kernels_run.fetch_add(1, std::memory_order_relaxed);
      for (auto& o : outs) {
        o.set_evaluated();
        if (!o.is_tracer()) o.detach();
      }
    }
    // Release the tape's reference: inputs whose last consumer ran are freed now, and
    // their buffers can be donated to later nodes.
    node = array();
  }
  if (device_hooks::synchronize) device_hooks::synchronize();
  return next_ >= tape_.size();
}

void eval(std::vector<array> outputs) {
  EvalSession session(std::move(outputs));
  session.step(SIZE_MAX);
}

std::pair<std::vector<array>, std::vector<array>> vjp(const Function& fun, const std::vector<array>& primals,
                                                      const std::vector<array>& cotangents) {
  std::vector<array> tracers, outputs;
  {
    detail::TracingScope scope;
    tracers = make_tracers(primals);
    outputs = fun(tracers);
  }
  // Pair cotangents with the outputs that can carry a gradient.
  std::vector<array> cots;
  std::vector<int> cot_outputs;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!is_stop_gradient(outputs[i])) cot_outputs.push_back(static_cast<int>(i));
  }
  if (cot_outputs.size() != cotangents.size()) {
    throw std::invalid_argument("[vjp] Number of outputs to compute gradients for (" +
                                std::to_string(cot_outputs.size()) + ") does not match number of cotangents (" +
                                std::to_string(cotangents.size()) + ").");
  }
  std::unordered_map<uintptr_t, array> cot_map;
  for (size_t k = 0; k < cot_outputs.size(); ++k) {
    const array& out = outputs[cot_outputs[k]];
    if (out.shape() != cotangents[k].shape()) {
      std::string msg = "[vjp] Output shape " + shape_string(out.shape()) + " does not match cotangent shape " +
                        shape_string(cotangents[k].shape()) + ".";
      if (out.size() == 1 && cotangents[k].ndim() == 0) {
        msg += " If you are using grad your function must return a scalar.";
      }
      throw std::invalid_argument(msg);
    }
    array c = astype(cotangents[k], out.dtype());
    auto it = cot_map.find(out.id());
    if (it == cot_map.end()) {
      cot_map.emplace(out.id(), c);
    } else {
      it->second = add(it->second, c);
    }
  }

  std::unordered_set<uintptr_t> depends;
  std::vector<array> tape = dependent_tape(tracers, outputs, depends);
  for (auto it = tape.rbegin(); it != tape.rend(); ++it) {
    array& node = *it;
    std::vector<array> outs = node.outputs();
    std::vector<array> node_cots;
    bool any = false;
    for (auto& o : outs) {
      auto c = cot_map.find(o.id());
      if (c != cot_map.end()) {
        node_cots.push_back(c->second);
        any = true;
      } else {
        node_cots.push_back(zeros_like(o));
      }
    }
    if (!any) continue;
    std::vector<int> argnums;
    for (size_t i = 0; i < node.inputs().size(); ++i) {
      if (depends.count(node.inputs()[i].id())) argnums.push_back(static_cast<int>(i));
    }
    std::vector<array> vjps = node.primitive().vjp(node.inputs(), node_cots, argnums, outs);
    for (size_t k = 0; k < argnums.size(); ++k) {
      const array& in = node.inputs()[argnums[k]];
      auto c = cot_map.find(in.id());
      if (c == cot_map.end()) {
        cot_map.emplace(in.id(), vjps[k]);
      } else {
        c->second = add(c->second, vjps[k]);
      }
    }
  }

  std::vector<array> grads;
  for (size_t i = 0; i < primals.size(); ++i) {
    auto c = cot_map.find(tracers[i].id());
    grads.push_back(c != cot_map.end() ? c->second : zeros_like(primals[i]));
  }
  return {outputs, grads};
}

std::pair<std::vector<array>, std::vector<array>> jvp(const Function& fun, const std::vector<array>& primals,
                                                      const std::vector<array>& tangents) {
  if (primals.size() != tangents.size()) {
    throw std::invalid_argument("[jvp] Number of inputs (" + std::to_string(primals.size()) +
                                ") does not match number of tangents (" + std::to_string(tangents.size()) + ").");
  }
  for (size_t i = 0; i < primals.size(); ++i) {
    if (primals[i].shape() != tangents[i].shape()) {
      throw std::invalid_argument("[jvp] Input shape " + shape_string(primals[i].shape()) +
                                  " does not match tangent shape " + shape_string(tangents[i].shape()) + ".");
    }
  }
  std::vector<array> tracers, outputs;
  {
    detail::TracingScope scope;
    tracers = make_tracers(primals);
    outputs = fun(tracers);
  }
  std::unordered_map<uintptr_t, array> tan_map;
  for (size_t i = 0; i < tracers.size(); ++i) {
    tan_map.emplace(tracers[i].id(), astype(tangents[i], primals[i].dtype()));
  }
  std::unordered_set<uintptr_t> depends;
  std::vector<array> tape = dependent_tape(tracers, outputs, depends);
  for (auto& node : tape) {
    std::vector<int> argnums;
    std::vector<array> tans;
    for (size_t i = 0; i < node.inputs().size(); ++i) {
      auto t = tan_map.find(node.inputs()[i].id());
      if (t != tan_map.end()) {
        argnums.push_back(static_cast<int>(i));
        tans.push_back(t->second);
      }
    }
    if (argnums.empty()) continue;
    std::vector<array> outs = node.outputs();
    std::vector<array> jvps = node.primitive().jvp(node.inputs(), tans, argnums);
    for (size_t k = 0; k < outs.size(); ++k) tan_map.emplace(outs[k].id(), jvps[k]);
  }
  std::vector<array> out_tangents;
  for (auto& o : outputs) {
    auto t = tan_map.find(o.id());
    out_tangents.push_back(t != tan_map.end() ? t->second : zeros_like(o));
  }
  return {outputs, out_tangents};
}

std::pair<std::vector<array>, std::vector<array>> value_and_grad(const Function& fun,
                                                                 const std::vector<array>& primals) {
  auto wrapped = [&fun](const std::vector<array>& xs) {
    std::vector<array> outs = fun(xs);
    if (outs.empty()) throw std::invalid_argument("[grad] The function must return at least one array.");
    if (outs[0].ndim() != 0) {
      throw std::invalid_argument("[grad] The function must return a scalar (an array of shape ()) but returned "
                                  "an array of shape " + shape_string(outs[0].shape()) + ".");
    }
    for (size_t i = 1; i < outs.size(); ++i) outs[i] = stop_gradient(outs[i]);
    return outs;
  };
  return vjp(wrapped, primals, {array::scalar(1, Dtype::float32)});
}

}  // namespace mlx

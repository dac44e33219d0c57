#include "transforms/vmap.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "transforms/graph_walk.h"
#include "ops.h"
#include "ops/slice.h"
#include "primitive.h"

namespace mlx {

namespace vmap_util {

array move_axis(const array& x, int from, int to) {
  if (from == to) return x;
  std::vector<int> order;
  for (int i = 0; i < x.ndim(); ++i)
    if (i != from) order.push_back(i);
  order.insert(order.begin() + to, from);
  return transpose(x, order);
}

int to_front(std::vector<array>& xs, const std::vector<int>& axes) {
  int n = -1;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (axes[i] < 0) continue;
    n = xs[i].shape(axes[i]);
    xs[i] = move_axis(xs[i], axes[i], 0);
  }
  return n;
}

array batch_broadcast(const array& x, int n) {
  Shape s = x.shape();
  s.insert(s.begin(), 1);
  Shape target = x.shape();
  target.insert(target.begin(), n);
  return broadcast_to(reshape(x, s), target);
}

int to_front_all(std::vector<array>& xs, const std::vector<int>& axes) {
  int n = to_front(xs, axes);
  for (size_t i = 0; i < xs.size(); ++i)
    if (axes[i] < 0) xs[i] = batch_broadcast(xs[i], n);
  return n;
}

}  // namespace vmap_util

namespace {

[[noreturn]] void fail(const std::string& msg) { throw std::invalid_argument("[vmap] " + msg); }

// The batching of a primitive without a rule: the primitive applied to each batch element
// (inputs sliced at b), the results written into a batched output. `node` is the traced
// (unbatched) node, which gives the output shapes.
std::pair<std::vector<array>, std::vector<int>> vmap_by_loop(const array& node, std::vector<array> ins,
                                                             const std::vector<int>& axes) {
  int n = vmap_util::to_front(ins, axes);
  std::vector<array> traced = node.outputs();
  std::vector<array> results;
  for (auto& t : traced) results.push_back(zeros([&] {
                                                   Shape s = t.shape();
                                                   s.insert(s.begin(), n);
                                                   return s;
                                                 }(),
                                                 t.dtype()));
  for (int b = 0; b < n; ++b) {
    std::vector<array> element;
    for (size_t i = 0; i < ins.size(); ++i) {
      if (axes[i] < 0) {
        element.push_back(ins[i]);
        continue;
      }
      std::vector<int32_t> start(ins[i].ndim(), 0), stop(ins[i].shape().begin(), ins[i].shape().end());
      start[0] = b;
      stop[0] = b + 1;
      Shape s(ins[i].shape().begin() + 1, ins[i].shape().end());
      element.push_back(reshape(slice(ins[i], start, stop), s));
    }
    std::vector<Shape> shapes;
    std::vector<Dtype> dtypes;
    for (auto& t : traced) {
      shapes.push_back(t.shape());
      dtypes.push_back(t.dtype());
    }
    std::vector<array> outs = traced.size() == 1
                                  ? std::vector<array>{array(shapes[0], dtypes[0], node.primitive_ptr(), element)}
                                  : array::make_arrays(shapes, dtypes, node.primitive_ptr(), element);
    for (size_t k = 0; k < outs.size(); ++k) {
      Shape s = outs[k].shape();
      s.insert(s.begin(), 1);
      std::vector<int32_t> start(s.size(), 0), stop(s.begin(), s.end());
      start[0] = b;
      stop[0] = b + 1;
      results[k] = slice_update(results[k], reshape(outs[k], s), start, stop, std::vector<int32_t>(s.size(), 1));
    }
  }
  return {results, std::vector<int>(results.size(), 0)};
}

// The batched value standing for each traced array (by id): the array and its batch axis
// (-1: the value is not batched).
using BatchedValues = std::unordered_map<uintptr_t, std::pair<array, int>>;

// Checks in_axes against the inputs: one per input, at least one mapped, each mapped axis in
// bounds and all of the same size.
void check_in_axes(const std::vector<array>& inputs, const std::vector<int>& in_axes) {
  if (in_axes.size() != inputs.size()) {
    fail("The number of in_axes (" + std::to_string(in_axes.size()) + ") must match the number of inputs (" +
         std::to_string(inputs.size()) + ").");
  }
  int batch = -1;
  bool any = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    int ax = in_axes[i];
    if (ax < 0) continue;
    any = true;
    const array& x = inputs[i];
    if (x.ndim() == 0) fail("Cannot map over the axis of a 0-dimensional input (input " + std::to_string(i) + ").");
    if (ax >= x.ndim()) {
      fail("Axis " + std::to_string(ax) + " is out of bounds for input " + std::to_string(i) + " with " +
           std::to_string(x.ndim()) + " dimensions.");
    }
    if (batch >= 0 && x.shape(ax) != batch) {
      fail("Inconsistent sizes along the mapped axes: " + std::to_string(batch) + " and " +
           std::to_string(x.shape(ax)) + ".");
    }
    batch = x.shape(ax);
  }
  if (!any) fail("At least one of in_axes must map an input (not all may be None/null).");
}

// Placeholders for the inputs: a mapped input without its mapped axis, no value, flagged as
// a tracer; an unmapped input as it is.
std::vector<array> make_placeholders(const std::vector<array>& inputs, const std::vector<int>& in_axes) {
  std::vector<array> placeholders;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (in_axes[i] < 0) {
      placeholders.push_back(inputs[i]);
      continue;
    }
    Shape s = inputs[i].shape();
    s.erase(s.begin() + in_axes[i]);
    array p(std::move(s), inputs[i].dtype(), nullptr, {});
    p.set_tracer(true);
    placeholders.push_back(std::move(p));
  }
  return placeholders;
}

// The nodes behind the outputs, inputs first, each multi-output node once (so its rule runs
// once for all its outputs). The placeholders stop the walk.
std::vector<array> nodes_to_batch(const std::vector<array>& outputs, const BatchedValues& values) {
  std::vector<array> tape;
  walk_graph(
      outputs, [&](const array& a) { return values.count(a.id()) > 0; },
      [&](array& node) {
        if (node.has_primitive()) tape.push_back(std::move(node));
      });
  return tape;
}

// Rewrites one traced node on the batched values of its inputs with its primitive's vmap rule
// (or the per-element loop) and records the batched values of all its outputs. A node with no
// batched input is kept as it is, so constants computed inside fun stay unbatched.
void batch_node(const array& node, BatchedValues& values) {
  std::vector<array> ins;
  std::vector<int> axes;
  bool any_mapped = false;
  for (auto& in : node.inputs()) {
    auto it = values.find(in.id());
    if (it != values.end()) {
      ins.push_back(it->second.first);
      axes.push_back(it->second.second);
      any_mapped = any_mapped || it->second.second >= 0;
    } else {
      ins.push_back(in);
      axes.push_back(-1);
    }
  }
  if (!any_mapped) return;
  auto [outs, out_axes] = node.primitive().vmap(ins, axes);
  if (outs.empty()) std::tie(outs, out_axes) = vmap_by_loop(node, ins, axes);
  std::vector<array> siblings = node.outputs();
  for (size_t k = 0; k < siblings.size(); ++k) values.emplace(siblings[k].id(), std::make_pair(outs[k], out_axes[k]));
}

// The batched value of each output with its batch axis (-1: an output no mapped input reaches).
std::pair<std::vector<array>, std::vector<int>> batched_outputs(const std::vector<array>& outputs,
                                                                const BatchedValues& values) {
  std::vector<array> results;
  std::vector<int> result_axes;
  for (auto& o : outputs) {
    auto it = values.find(o.id());
    if (it != values.end()) {
      results.push_back(it->second.first);
      result_axes.push_back(it->second.second);
    } else {
      results.push_back(o);
      result_axes.push_back(-1);
    }
  }
  return {results, result_axes};
}

}  // namespace

std::pair<std::vector<array>, std::vector<int>> vmap_trace(const Function& fun, const std::vector<array>& inputs,
                                                           const std::vector<int>& in_axes) {
  check_in_axes(inputs, in_axes);
  std::vector<array> placeholders, outputs;
  {
    detail::TracingScope scope;
    placeholders = make_placeholders(inputs, in_axes);
    outputs = fun(placeholders);
  }
  BatchedValues values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (in_axes[i] >= 0) values.emplace(placeholders[i].id(), std::make_pair(inputs[i], in_axes[i]));
  }
  for (auto& node : nodes_to_batch(outputs, values)) batch_node(node, values);
  return batched_outputs(outputs, values);
}

Function vmap(Function fun, std::vector<int> in_axes, std::vector<int> out_axes) {
  return [fun, in_axes, out_axes](const std::vector<array>& inputs) {
    auto [outs, axes] = vmap_trace(fun, inputs, in_axes);
    if (out_axes.size() != 1 && out_axes.size() != outs.size()) {
      fail("The number of out_axes (" + std::to_string(out_axes.size()) + ") must match the number of outputs (" +
           std::to_string(outs.size()) + ").");
    }
    int batch = -1;
    for (size_t i = 0; i < inputs.size(); ++i)
      if (in_axes[i] >= 0) batch = inputs[i].shape(in_axes[i]);
    for (size_t i = 0; i < outs.size(); ++i) {
      int want = out_axes.size() == 1 ? out_axes[0] : out_axes[i];
      array o = axes[i] < 0 ? vmap_util::batch_broadcast(outs[i], batch) : outs[i];
      int at = axes[i] < 0 ? 0 : axes[i];
      if (want < 0 || want >= o.ndim()) {
        fail("out_axes " + std::to_string(want) + " is out of bounds for an output with " + std::to_string(o.ndim()) +
             " dimensions.");
      }
      outs[i] = vmap_util::move_axis(o, at, want);
    }
    return outs;
  };
}

}  // namespace mlx

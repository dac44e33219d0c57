#include "transforms/compile.h"

#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "backend/cpu/fused.h"
#include "transforms/graph_walk.h"
#include "primitive.h"

namespace mlx {

namespace {

// ---- the tape --------------------------------------------------------------------------
// Values are numbered: the inputs first, then constants, then node outputs.

struct Node {
  std::shared_ptr<Primitive> prim;
  std::vector<int> inputs;   // value ids
  std::vector<int> outputs;  // value ids
  std::vector<Shape> shapes;
  std::vector<Dtype> dtypes;
};

struct Tape {
  int n_inputs = 0;
  std::vector<array> constants;  // value ids n_inputs .. n_inputs + constants.size() - 1
  std::vector<Node> nodes;
  std::vector<int> outputs;
  int n_values = 0;
};

// Builds arrays for `nodes` on top of `values` (indexed by value id). With `infer`, output
// shapes come from the primitives instead of the traced shapes.
void replay(const std::vector<Node>& nodes, std::vector<array>& values, bool infer) {
  for (const Node& n : nodes) {
    std::vector<array> ins;
    for (int v : n.inputs) ins.push_back(values[v]);
    std::vector<Shape> shapes = infer ? n.prim->output_shapes(ins) : n.shapes;
    if (n.outputs.size() == 1) {
      values[n.outputs[0]] = array(shapes[0], n.dtypes[0], n.prim, std::move(ins));
    } else {
      auto outs = array::make_arrays(shapes, n.dtypes, n.prim, ins);
      for (size_t k = 0; k < outs.size(); ++k) values[n.outputs[k]] = outs[k];
    }
  }
}

Tape trace(const Function& fun, const std::vector<array>& inputs) {
  Tape tape;
  tape.n_inputs = static_cast<int>(inputs.size());
  std::vector<array> placeholders, outputs;
  {
    detail::TracingScope scope;
    for (auto& x : inputs) {
      array p(x.shape(), x.dtype(), nullptr, {});
      p.set_tracer(true);
      placeholders.push_back(std::move(p));
    }
    outputs = fun(placeholders);
  }
  std::unordered_map<uintptr_t, int> ids;
  for (size_t i = 0; i < placeholders.size(); ++i) ids[placeholders[i].id()] = static_cast<int>(i);
  int next = tape.n_inputs;
  std::vector<std::pair<array, int>> constants;  // assigned ids later, after the count is known
  std::vector<Node> nodes;
  auto id_of = [&](const array& a) { return ids.at(a.id()); };
  // Stops at the placeholders (any other id in `ids` is a node the walk already visited).
  auto is_placeholder = [&](const array& a) { return ids.count(a.id()) > 0; };
  // The arrays the call was given must reach the trace through their placeholders: meeting
  // one of them means the function also holds it some other way (a closure, a tree it was
  // not given as), which MLX rejects rather than freeze its value into the tape.
  std::unordered_map<uintptr_t, bool> originals;
  for (auto& x : inputs) originals[x.id()] = true;
  walk_graph(outputs, is_placeholder, [&](array& a) {
    if (originals.count(a.id()) > 0) {
      throw std::invalid_argument("[compile] Attempting to compile a function with uncaptured inputs is not allowed.");
    }
    if (!a.has_primitive()) {
      // A leaf that is not an input: a constant captured by the function.
      ids[a.id()] = next;
      constants.emplace_back(a, next++);
      return;
    }
    Node n;
    n.prim = a.primitive_ptr();
    for (auto& in : a.inputs()) n.inputs.push_back(id_of(in));
    for (auto& s : a.outputs()) {
      ids[s.id()] = next;
      n.outputs.push_back(next++);
      n.shapes.push_back(s.shape());
      n.dtypes.push_back(s.dtype());
    }
    nodes.push_back(std::move(n));
  });
  for (auto& o : outputs) tape.outputs.push_back(id_of(o));
  // Renumber so that constants follow the inputs (the replay fills values in that order).
  std::vector<int> remap(next);
  for (int i = 0; i < tape.n_inputs; ++i) remap[i] = i;
  int v = tape.n_inputs;
  for (auto& [arr, id] : constants) {
    remap[id] = v++;
    tape.constants.push_back(arr);
  }
  for (auto& n : nodes)
    for (int o : n.outputs) remap[o] = v++;
  for (auto& n : nodes) {
    for (auto& i : n.inputs) i = remap[i];
    for (auto& o : n.outputs) o = remap[o];
  }
  for (auto& o : tape.outputs) o = remap[o];
  tape.nodes = std::move(nodes);
  tape.n_values = v;
  return tape;
}

// ---- simplification: merge nodes that compute the same thing ---------------------------

void merge_equivalent(Tape& tape) {
  std::vector<int> rename(tape.n_values);
  for (int i = 0; i < tape.n_values; ++i) rename[i] = i;
  std::map<std::pair<std::string, std::vector<int>>, std::vector<size_t>> seen;
  std::vector<Node> kept;
  for (auto& n : tape.nodes) {
    for (auto& i : n.inputs) i = rename[i];
    auto key = std::make_pair(std::string(n.prim->name()), n.inputs);
    bool merged = false;
    for (size_t j : seen[key]) {
      const Node& m = kept[j];
      if (m.shapes == n.shapes && m.dtypes == n.dtypes && m.prim->is_equivalent(*n.prim)) {
        for (size_t k = 0; k < n.outputs.size(); ++k) rename[n.outputs[k]] = m.outputs[k];
        merged = true;
        break;
      }
    }
    if (merged) continue;
    seen[key].push_back(kept.size());
    kept.push_back(std::move(n));
  }
  for (auto& o : tape.outputs) o = rename[o];
  tape.nodes = std::move(kept);
}

// ---- fusion: element-wise chains become one Compiled node -------------------------------

class Compiled : public Primitive {
 public:
  Compiled(FusedProgram program, std::vector<Node> members, std::vector<int> input_ids, std::vector<int> output_ids,
           int n_values)
      : program_(std::move(program)),
        members_(std::move(members)),
        input_ids_(std::move(input_ids)),
        output_ids_(std::move(output_ids)),
        n_values_(n_values) {}
  const char* name() const override { return "Compiled"; }
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override {
    fused_eval(program_, inputs, outputs);
  }
  // Transforms see the unfused ops: the members replayed on the inputs.
  Function reference() const {
    return [this_ = *this](const std::vector<array>& xs) {
      std::vector<array> values(this_.n_values_);
      for (size_t i = 0; i < xs.size(); ++i) values[this_.input_ids_[i]] = xs[i];
      replay(this_.members_, values, true);
      std::vector<array> outs;
      for (int o : this_.output_ids_) outs.push_back(values[o]);
      return outs;
    };
  }
  std::vector<array> vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                         const std::vector<int>& argnums, const std::vector<array>&) override {
    auto all = mlx::vjp(reference(), primals, cotangents).second;
    std::vector<array> out;
    for (int i : argnums) out.push_back(all[i]);
    return out;
  }
  std::vector<array> jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                         const std::vector<int>& argnums) override {
    std::vector<array> tans;
    for (auto& p : primals) tans.push_back(zeros_like_of(p));
    for (size_t k = 0; k < argnums.size(); ++k) tans[argnums[k]] = tangents[k];
    return mlx::jvp(reference(), primals, tans).second;
  }
  std::pair<std::vector<array>, std::vector<int>> vmap(const std::vector<array>& inputs,
                                                       const std::vector<int>& axes) override {
    return vmap_trace_of(reference(), inputs, axes);
  }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override {
    return std::vector<Shape>(output_ids_.size(), inputs[0].shape());
  }

  static array zeros_like_of(const array& a);
  static std::pair<std::vector<array>, std::vector<int>> vmap_trace_of(const Function& f, const std::vector<array>& in,
                                                                       const std::vector<int>& axes);

 private:
  FusedProgram program_;
  std::vector<Node> members_;
  std::vector<int> input_ids_;
  std::vector<int> output_ids_;
  int n_values_;
};

bool fusable(const Node& n) {
  return n.outputs.size() == 1 && n.prim->fused_op() >= 0 && is_floating(n.dtypes[0]);
}

// The node index producing each value (-1: an input or a constant).
std::vector<int> producers(const Tape& tape) {
  std::vector<int> producer(tape.n_values, -1);
  for (size_t i = 0; i < tape.nodes.size(); ++i)
    for (int o : tape.nodes[i].outputs) producer[o] = static_cast<int>(i);
  return producer;
}

// Fusable nodes gathered into groups, each group's members in tape order.
struct FusionGroups {
  std::vector<int> group;                   // per node: its group, or -1
  std::vector<int> first;                   // per group: its first (lowest) node index
  std::vector<std::vector<size_t>> members;  // per group: its node indices
};

FusionGroups group_fusable_nodes(const Tape& tape, const std::vector<int>& producer) {
  const size_t count = tape.nodes.size();
  FusionGroups fg;
  fg.group.assign(count, -1);
  for (size_t i = 0; i < count; ++i) {
    const Node& n = tape.nodes[i];
    if (!fusable(n)) continue;
    // Joining group g is safe when every input from outside g is produced before g's first
    // node: nothing outside the group can then depend on it (no cycle through the fused
    // node, which takes g's first node's place). Prefer the groups of N's own inputs, then
    // any other open group of the same shape and dtype (one pass computing both).
    auto safe_to_join = [&](int g) {
      const Node& head = tape.nodes[fg.first[g]];
      if (head.shapes[0] != n.shapes[0] || head.dtypes[0] != n.dtypes[0]) return false;
      for (int w : n.inputs) {
        int q = producer[w];
        if (q >= 0 && fg.group[q] == g) continue;
        if (q >= fg.first[g]) return false;
      }
      return true;
    };
    int join = -1;
    for (int v : n.inputs) {
      int p = producer[v];
      if (p >= 0 && fg.group[p] >= 0 && safe_to_join(fg.group[p])) {
        join = fg.group[p];
        break;
      }
    }
    for (int g = static_cast<int>(fg.members.size()) - 1; join < 0 && g >= 0; --g) {
      if (safe_to_join(g)) join = g;
    }
    if (join < 0) {
      join = static_cast<int>(fg.members.size());
      fg.members.emplace_back();
      fg.first.push_back(static_cast<int>(i));
    }
    fg.group[i] = join;
    fg.members[join].push_back(i);
  }
  return fg;
}

// Per value: 1 when it is used after its group (by another node or as a function output),
// so the fused node must output it.
std::vector<int> values_leaving_groups(const Tape& tape, const std::vector<int>& producer, const FusionGroups& fg) {
  std::vector<int> used_outside(tape.n_values, 0);
  for (size_t i = 0; i < tape.nodes.size(); ++i)
    for (int v : tape.nodes[i].inputs) {
      int p = producer[v];
      if (p < 0 || fg.group[p] < 0 || fg.group[p] != fg.group[i]) used_outside[v] = 1;
    }
  for (int o : tape.outputs) used_outside[o] = 1;
  return used_outside;
}

// The Compiled node of group g: its program gives the external inputs the first registers
// and each member the next one.
Node fused_node(const Tape& tape, const std::vector<int>& producer, const FusionGroups& fg, int g,
                const std::vector<int>& used_outside) {
  FusedProgram prog;
  std::unordered_map<int, int> reg;
  std::vector<int> input_ids, output_ids;
  std::vector<Node> group_nodes;
  for (size_t m : fg.members[g]) {
    const Node& n = tape.nodes[m];
    for (int v : n.inputs) {
      int p = producer[v];
      bool internal = p >= 0 && fg.group[p] == g;
      if (!internal && !reg.count(v)) {
        reg[v] = static_cast<int>(input_ids.size());
        input_ids.push_back(v);
      }
    }
  }
  prog.n_inputs = static_cast<int>(input_ids.size());
  int next_reg = prog.n_inputs;
  for (size_t m : fg.members[g]) {
    const Node& n = tape.nodes[m];
    FusedInstr instr{n.prim->fused_op(), reg.at(n.inputs[0]), n.inputs.size() > 1 ? reg.at(n.inputs[1]) : 0,
                     next_reg};
    reg[n.outputs[0]] = next_reg++;
    prog.code.push_back(instr);
    group_nodes.push_back(n);
    if (used_outside[n.outputs[0]]) {
      output_ids.push_back(n.outputs[0]);
      prog.outputs.push_back(reg[n.outputs[0]]);
    }
  }
  prog.n_registers = next_reg;
  Node fused;
  fused.prim = std::make_shared<Compiled>(prog, group_nodes, input_ids, output_ids, tape.n_values);
  fused.inputs = input_ids;
  fused.outputs = output_ids;
  const Node& last = tape.nodes[fg.members[g].back()];
  fused.shapes.assign(output_ids.size(), last.shapes[0]);
  fused.dtypes.assign(output_ids.size(), last.dtypes[0]);
  return fused;
}

// Element-wise chains become one Compiled node, placed where the group's first node was.
void fuse(Tape& tape) {
  std::vector<int> producer = producers(tape);
  FusionGroups fg = group_fusable_nodes(tape, producer);
  std::vector<int> used_outside = values_leaving_groups(tape, producer, fg);
  std::vector<Node> out;
  std::vector<bool> emitted(fg.members.size(), false);
  for (size_t i = 0; i < tape.nodes.size(); ++i) {
    int g = fg.group[i];
    if (g < 0 || fg.members[g].size() < 2) {
      out.push_back(tape.nodes[i]);
      continue;
    }
    if (emitted[g]) continue;
    emitted[g] = true;
    out.push_back(fused_node(tape, producer, fg, g, used_outside));
  }
  tape.nodes = std::move(out);
}

// ---- the compiled function ----------------------------------------------------------------

struct CompiledFunction {
  Function fun;
  bool shapeless;
  std::map<std::vector<int64_t>, std::shared_ptr<Tape>> cache;

  std::vector<int64_t> key(const std::vector<array>& inputs) const {
    std::vector<int64_t> k{static_cast<int64_t>(inputs.size())};
    for (auto& x : inputs) {
      k.push_back(static_cast<int64_t>(x.dtype()));
      k.push_back(x.ndim());
      if (!shapeless) k.insert(k.end(), x.shape().begin(), x.shape().end());
    }
    return k;
  }

  std::vector<array> operator()(const std::vector<array>& inputs) {
    auto k = key(inputs);
    auto it = cache.find(k);
    bool fresh = it == cache.end();
    if (fresh) {
      auto tape = std::make_shared<Tape>(trace(fun, inputs));
      merge_equivalent(*tape);
      fuse(*tape);
      it = cache.emplace(k, tape).first;
    }
    const Tape& t = *it->second;
    std::vector<array> values(t.n_values);
    for (size_t i = 0; i < inputs.size(); ++i) values[i] = inputs[i];
    for (size_t c = 0; c < t.constants.size(); ++c) values[t.n_inputs + c] = t.constants[c];
    replay(t.nodes, values, shapeless);
    std::vector<array> outs;
    for (int o : t.outputs) outs.push_back(values[o]);
    return outs;
  }
};

}  // namespace

Function compile(Function fun, bool shapeless) {
  auto state = std::make_shared<CompiledFunction>();
  state->fun = std::move(fun);
  state->shapeless = shapeless;
  return [state](const std::vector<array>& inputs) { return (*state)(inputs); };
}

}  // namespace mlx

#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {
namespace {
array Compiled::zeros_like_of(const array& a) { return zeros_like(a); }
std::pair<std::vector<array>, std::vector<int>> Compiled::vmap_trace_of(const Function& f, const std::vector<array>& in,
                                                                        const std::vector<int>& axes) {
  return vmap_trace(f, in, axes);
}
}  // namespace
}  // namespace mlx

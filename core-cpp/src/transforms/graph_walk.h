// The one walk over the graph behind some arrays, shared by eval, vjp/jvp, vmap and compile.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

#include "array.h"

namespace mlx {

// Post-order depth-first walk from `roots`: `visit(node)` runs once per node, after it ran
// for every node among the node's inputs, so the visits come in dependency order (the
// order eval, the transforms and compile's tape need).
//
// - The stack is explicit (no recursion): a 100,000-op chain is fine.
// - A multi-output node is ONE node: its siblings are marked seen together, and `visit`
//   receives whichever output was reached first (its `outputs()` gives all of them).
// - `skip(node)` returning true leaves the node out entirely: it is not visited and its
//   inputs are not walked through it. Callers stop at evaluated arrays (eval), tracers
//   (autodiff) or placeholders (compile). It is asked each time a node is reached, before
//   the seen-set (so skipped leaves such as weights never enter it), and must give the same
//   answer each time.
// - Inputs are walked one at a time in order, each subtree finished before the next input is
//   reached, so the order is the same from run to run.
// - `visit` gets the node by reference and may move it out: the walk drops it afterwards.
template <typename Skip, typename Visit>
void walk_graph(const std::vector<array>& roots, Skip&& skip, Visit&& visit) {
  std::unordered_set<uintptr_t> seen;
  std::vector<std::pair<array, size_t>> stack;  // a node and the index of its next input
  auto reach = [&](const array& a) {
    if (skip(a) || !seen.insert(a.id()).second) return;
    if (a.has_siblings()) {
      for (auto& s : a.outputs()) seen.insert(s.id());
    }
    stack.emplace_back(a, 0);
  };
  for (auto& root : roots) {
    reach(root);
    while (!stack.empty()) {
      // Indexed, not held by reference: reaching an input grows the stack.
      size_t top = stack.size() - 1;
      size_t next = stack[top].second;
      if (next < stack[top].first.inputs().size()) {
        stack[top].second = next + 1;
        reach(stack[top].first.inputs()[next]);
        continue;
      }
      array node = std::move(stack[top].first);
      stack.pop_back();
      visit(node);
    }
  }
}

// Without a stopping rule: every node behind `roots`.
template <typename Visit>
void walk_graph(const std::vector<array>& roots, Visit&& visit) {
  walk_graph(roots, [](const array&) { return false; }, std::forward<Visit>(visit));
}

}  // namespace mlx

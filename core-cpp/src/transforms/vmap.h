// vmap: vectorising a function over a batch axis, as MLX does: trace the function on
// placeholders that lack the mapped axis, then rewrite every node that depends on them
// with its primitive's vmap rule.
#pragma once

#include <utility>
#include <vector>

#include "transforms/eval_grad.h"

namespace mlx {

// Runs `fun` vectorised over `in_axes` (one per input; -1 = not mapped). Returns the
// outputs and, for each, the axis its batch dimension ended at (-1: the output does not
// depend on a mapped input and was not broadcast).
std::pair<std::vector<array>, std::vector<int>> vmap_trace(const Function& fun, const std::vector<array>& inputs,
                                                           const std::vector<int>& in_axes);

// The vectorised function: outputs get their batch dimension at `out_axes` (one per output,
// or a single value for all); outputs that do not depend on a mapped input are broadcast.
Function vmap(Function fun, std::vector<int> in_axes, std::vector<int> out_axes);

namespace vmap_util {
// `x` with axis `from` moved to position `to` (a transpose; identity when equal).
array move_axis(const array& x, int from, int to);
// Moves the mapped axis of every mapped input to 0; unmapped inputs are returned as they
// are. Returns the batch size.
int to_front(std::vector<array>& xs, const std::vector<int>& axes);
// `x` (unmapped) given a leading batch axis of size `n` by broadcasting.
array batch_broadcast(const array& x, int n);
// to_front, then the unmapped inputs broadcast along a leading batch axis too (for rules
// that need every operand batched). Returns the batch size.
int to_front_all(std::vector<array>& xs, const std::vector<int>& axes);
}  // namespace vmap_util

}  // namespace mlx

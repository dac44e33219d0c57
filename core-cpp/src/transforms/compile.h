// compile: traces a function once per input signature into a tape of primitives, merges
// equivalent nodes, fuses chains of element-wise ops into one kernel, and replays the tape
// on later calls without running the function again.
#pragma once

#include "transforms/eval_grad.h"

namespace mlx {

// The compiled form of `fun`. The cache is keyed by the inputs' shapes and dtypes (with
// `shapeless`, by their ndim and dtypes only: output shapes are then inferred per call,
// which every primitive of the tape must support).
Function compile(Function fun, bool shapeless = false);

// The number of primitives evaluated since start (a diagnostic: tests use it to check that
// a fused chain runs as one kernel).
size_t kernel_count();

}  // namespace mlx

// The reduction kernel family: one loop (reduce_kernel) over the input, instantiated per
// dtype and per Reducer (sum, max, min, prod, and, or). mean/var/logsumexp are built from
// these by the ops.
#pragma once

#include <vector>

#include "array.h"

namespace mlx {

enum class ReduceType { Sum, Max, Min, Prod, And, Or };

// The primitive's label for a reduction type ("Sum", "Max", ...).
const char* reduce_type_name(ReduceType type);

// Reduces `in` over `axes` into `out`, whose shape is in's with those axes set to 1 and
// whose dtype is in's (the op converts the input to the accumulation dtype first, to bool
// for And/Or; 16-bit floats still accumulate in float32 inside the kernel). An empty
// reduction gives the reducer's identity (0, 1, true, false; -inf/+inf for max/min, which
// the ops reject before they get here).
void reduce_eval(const array& in, array& out, const std::vector<int>& axes, ReduceType type);

}  // namespace mlx

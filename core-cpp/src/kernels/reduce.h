// The reduction kernel family (sum, max; mean is a sum scaled by the op).
#pragma once

#include <vector>

#include "../array.h"

namespace mlx {

enum class ReduceType { Sum, Max };

// Reduces `in` over `axes` into `out`, whose shape is in's with those axes set to 1 and
// whose dtype is in's (the op converts the input to the accumulation dtype first; 16-bit
// floats still accumulate in float32 inside the kernel).
void reduce_eval(const array& in, array& out, const std::vector<int>& axes, ReduceType type);

}  // namespace mlx

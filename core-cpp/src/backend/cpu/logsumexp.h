// logsumexp over the last axis, one row at a time: the row maximum, then the sum of
// exp(x - max) (16-bit floats compute in float32). An infinite or NaN maximum is the
// answer itself, as the reference composition (ops_reduce.cpp) gives.
#pragma once

#include "array.h"

namespace mlx {

// `in` [..., n] and `out` [..., 1] share a floating dtype; out gets a row-contiguous buffer.
void logsumexp_eval(const array& in, array& out);

}  // namespace mlx

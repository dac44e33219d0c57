// Softmax over the last axis: one pass per row for the maximum, one for the exponentials
// and their sum, one to normalise (16-bit floats compute in float32).
#pragma once

#include "array.h"

namespace mlx {

// `in` and `out` have the same shape and floating dtype; out gets a row-contiguous buffer.
void softmax_eval(const array& in, array& out);

}  // namespace mlx

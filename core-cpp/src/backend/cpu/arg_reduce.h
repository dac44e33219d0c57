// Arg reductions (argmin, argmax) along one axis into uint32 indices.
#pragma once

#include "array.h"

namespace mlx {

// `out` has in's shape with `axis` set to 1 and dtype uint32. The first index wins ties;
// the first NaN wins over numbers, as in NumPy. `in` must not be empty along `axis`.
void arg_reduce_eval(const array& in, array& out, int axis, bool is_max);

}  // namespace mlx

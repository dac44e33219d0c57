// The copy family: nodes that pass their input through, converted (astype), as it is
// (copy), or with its gradient stopped (stop_gradient).
#pragma once

#include "array.h"

namespace mlx {

array astype(const array& a, Dtype dtype);
// Identity in value; no gradient flows through it.
array stop_gradient(const array& a);
// A new array (graph node) with the same value, sharing the buffer.
array copy(const array& a);


}  // namespace mlx

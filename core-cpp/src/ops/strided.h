// The strided-view family: as_strided (any shape, strides and offset over the input's
// elements in row order) and contiguous (the input laid out densely, shared when it already
// is), as MLX's.
#pragma once

#include "array.h"

namespace mlx {

// A view of a's elements (taken in row order) with the given shape, strides and offset (in
// elements). Unlike MLX, a view that would reach outside a's elements is an error.
array as_strided(const array& a, Shape shape, Strides strides, int64_t offset);
// a with a row-contiguous layout (column-contiguous also accepted when allow_col_major);
// the input's buffer is shared when its layout already qualifies, else it is copied.
array contiguous(const array& a, bool allow_col_major = false);

}  // namespace mlx

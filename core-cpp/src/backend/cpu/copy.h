// Copies with dtype conversion between any two layouts of the same shape.
#pragma once

#include "array.h"

namespace mlx {

// Writes src's elements, converted to dst's dtype, into dst's (already allocated) buffer
// following dst's strides.
void copy_general(const array& src, array& dst);

// Gives `out` (same shape and dtype as `src`) a row-contiguous buffer holding src's values:
// src's own buffer when nothing else refers to it (donation), else a copy. Ops that write
// into a copy of an input (slice_update, scatter) start from this.
void copy_or_donate(const array& src, array& out);

// Gives `out` a buffer holding `in` converted to out's dtype: contiguous inputs keep their
// layout (one pass over the buffer), others become row-contiguous.
void copy_to_output(const array& in, array& out);

}  // namespace mlx

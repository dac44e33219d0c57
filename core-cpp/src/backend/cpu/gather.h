// Gather and the index resolution it shares with scatter: index arrays (any integer
// dtype, all of one broadcast shape B) pick, for each position of B, the start of a slice
// of the source along the indexed axes.
#pragma once

#include <string>
#include <vector>

#include "array.h"

namespace mlx {

// For every position of the common index shape (row order), the element offset of the
// selected slice start in an array of `shape` laid out with `strides`. Negative indices
// wrap once (NumPy); an index whose slice would leave the axis throws "[op] ..." here, so
// kernels only ever touch valid memory. The index arrays may be strided views.
std::vector<int64_t> index_offsets(const std::vector<array>& indices, const std::vector<int>& axes,
                                   const Shape& shape, const Strides& strides, const Shape& slice_sizes,
                                   const std::string& op);

// out (shape B + slice_sizes) = the slices of `src` starting at the indexed positions
// (index 0 on the axes that are not indexed).
void gather_eval(const array& src, const std::vector<array>& indices, const std::vector<int>& axes,
                 const Shape& slice_sizes, array& out, const std::string& op);

}  // namespace mlx

// Strided slicing: slice (a view) and slice_update (a copy with a region replaced).
#pragma once

#include <vector>

#include "array.h"

namespace mlx {

// Python-style slicing per axis: start/stop may be negative (from the end) and are clamped;
// steps may be negative but not 0. The result is a view sharing a's buffer.
array slice(const array& a, std::vector<int32_t> start, std::vector<int32_t> stop,
            std::vector<int32_t> strides);
array slice(const array& a, std::vector<int32_t> start, std::vector<int32_t> stop);

// `src` with the region slice(src, start, stop, strides) replaced by `update` (broadcast to
// the region's shape and cast to src's dtype).
array slice_update(const array& src, const array& update, std::vector<int32_t> start,
                   std::vector<int32_t> stop, std::vector<int32_t> strides);

}  // namespace mlx

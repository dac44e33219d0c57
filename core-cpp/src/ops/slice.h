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

// MLX's dynamic slicing (mx.slice / mx.slice_update with an array of start indices): the
// region of `slice_size` (one entry per axis of a) whose start on each of `axes` is the
// matching element of `start` (integer, 0-d or 1-D, one per axis) and 0 elsewhere. Starts
// are clamped at evaluation so the region lies inside a.
array slice_dynamic(const array& a, const array& start, std::vector<int> axes, Shape slice_size);
// `src` with the region at `start` (on `axes`) replaced by `update`, which is broadcast as
// MLX does (missing leading axes take src's extent, or 1 on a sliced axis) and cast to src's dtype.
array slice_update_dynamic(const array& src, const array& update, const array& start, std::vector<int> axes);

}  // namespace mlx

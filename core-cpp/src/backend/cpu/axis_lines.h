// Iteration over the 1-D lines of an array along one axis, shared by the kernels that
// work a line at a time (arg reductions, scans).
#pragma once

#include "iterate.h"

namespace mlx {

// Calls line(in_offset, out_offset) once per line along `axis`: the offsets (in elements)
// of the line's first element in the input and the output, whose strides are given. The
// caller walks the line itself with the axis strides.
template <typename F>
void for_each_line(Shape shape, const Strides& in_strides, const Strides& out_strides, int axis, F&& line) {
  shape[axis] = 1;  // collapse_axes drops it, leaving one call per line
  strided_loop<2>(std::move(shape), {in_strides, out_strides},
                  [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                    for (int64_t i = 0; i < n; ++i) line(o[0] + i * st[0], o[1] + i * st[1]);
                  });
}

}  // namespace mlx

// Integer-array indexing: MLX's gather and scatter family and the NumPy-style ops built on
// them (take, take_along_axis, put_along_axis).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "array.h"
#include "backend/cpu/scatter.h"

namespace mlx {

// For each position of the broadcast index shape B, the slice of `a` of `slice_sizes`
// starting at the indexed positions on `axes` (0 elsewhere). Output shape: B + slice_sizes.
array gather(const array& a, const std::vector<array>& indices, const std::vector<int>& axes,
             const Shape& slice_sizes, const std::string& op = "gather");

// `a` with the slices of `updates` (shape B + slice shape, ndim(B) + a.ndim() axes)
// written (None) or reduced into it at the indexed positions. Updates are cast to a's dtype.
array scatter(const array& a, const std::vector<array>& indices, const array& updates, const std::vector<int>& axes,
              ScatterType type = ScatterType::None, const std::string& op = "");
array scatter_add(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes);
array scatter_prod(const array& a, const std::vector<array>& indices, const array& updates,
                   const std::vector<int>& axes);
array scatter_max(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes);
array scatter_min(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes);

// The elements of `a` along `axis` at `indices` (output: a.shape[:axis] + indices.shape +
// a.shape[axis+1:]); without an axis `a` is flattened first.
array take(const array& a, const array& indices, std::optional<int> axis = std::nullopt);
// NumPy's take_along_axis: indices has a's ndim and broadcasts with a off `axis`.
array take_along_axis(const array& a, const array& indices, int axis);
// NumPy's put_along_axis: a copy of `a` with `values` written at `indices` along `axis`.
array put_along_axis(const array& a, const array& indices, const array& values, int axis);

const char* scatter_op_name(ScatterType type);

}  // namespace mlx

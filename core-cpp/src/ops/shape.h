// Shape and data-movement ops (MLX semantics): reshaping helpers, which are compositions of
// reshape/transpose/broadcast_to; concatenate (its own primitive) and the ops built on it or
// on slices: stack, split, tile, repeat, pad, roll, flip; diagonals and trace.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "array.h"

namespace mlx {

// ---- reshaping helpers (views where the input layout allows) ------------------------
// Merges axes start_axis..end_axis (inclusive) into one; a 0-d array becomes shape (1).
array flatten(const array& a, int start_axis = 0, int end_axis = -1);
// Splits `axis` into `shape` (one -1 may be inferred).
array unflatten(const array& a, int axis, Shape shape);
// Removes the given size-1 axes (every size-1 axis when none are given).
array squeeze(const array& a, std::optional<std::vector<int>> axes = std::nullopt);
// Inserts size-1 axes at the given positions of the output.
array expand_dims(const array& a, std::vector<int> axes);
array swapaxes(const array& a, int axis1, int axis2);
array moveaxis(const array& a, int source, int destination);
array atleast_1d(const array& a);
array atleast_2d(const array& a);
array atleast_3d(const array& a);
// Every input broadcast to their common shape.
std::vector<array> broadcast_arrays(const std::vector<array>& arrays);

// ---- joining and splitting ----------------------------------------------------------
// Joins along an existing axis (inputs promoted to a common dtype); no axis: the flattened
// inputs are joined.
array concatenate(std::vector<array> arrays, std::optional<int> axis = 0);
// Joins along a new axis.
array stack(const std::vector<array>& arrays, int axis = 0);
// `sections` equal parts along axis (an error if the axis does not divide evenly).
std::vector<array> split(const array& a, int sections, int axis = 0);
// Parts between the given indices (NumPy: indices are clamped, may give empty parts).
std::vector<array> split(const array& a, const std::vector<int>& indices, int axis = 0);

// ---- repetition, padding, rolling ---------------------------------------------------
array tile(const array& a, std::vector<int> reps);
// Each element repeated; no axis: the flattened array.
array repeat(const array& a, int repeats, std::optional<int> axis = std::nullopt);
enum class PadMode { Constant, Edge };
// widths: (before, after) per axis, or one pair for every axis. `value` (a scalar array) is
// cast to a's dtype; used by constant mode only.
array pad(const array& a, const std::vector<std::pair<int, int>>& widths, const array& value,
          PadMode mode = PadMode::Constant);
// Elements shifted along axes, wrapping around; no axes: along the flattened array. One
// shift applies to every axis, else one shift per axis.
array roll(const array& a, const std::vector<int>& shifts, std::optional<std::vector<int>> axes = std::nullopt);
// Reverses the order of elements along axes (every axis when none are given): a view.
array flip(const array& a, std::optional<std::vector<int>> axes = std::nullopt);

// ---- helper ------------------------------------------------------------------------
// x[..., lo:hi, ...] along `axis` (0 <= axis < ndim, a full slice on the other axes).
array slice_axis(const array& x, int axis, int32_t lo, int32_t hi);

// ---- diagonals ----------------------------------------------------------------------
// 1-D: a square matrix with `a` on diagonal k. 2-D: the k-th diagonal.
array diag(const array& a, int k = 0);
// The diagonal of the (axis1, axis2) planes, as a new last axis (NumPy's layout).
array diagonal(const array& a, int offset = 0, int axis1 = 0, int axis2 = 1);
// Sum of diagonal(a, offset, axis1, axis2) cast to dtype (default: a's dtype), as MLX: the
// sum's own accumulation rule applies after the cast (int8 gives int32).
array trace(const array& a, int offset = 0, int axis1 = 0, int axis2 = 1,
            std::optional<Dtype> dtype = std::nullopt);

// ---- views and broadcasting -------------------------------------------------------
// One -1 in `shape` is inferred.
array reshape(const array& a, Shape shape);
// No axes reverses them.
array transpose(const array& a, std::optional<std::vector<int>> axes = std::nullopt);
array broadcast_to(const array& a, const Shape& shape);
// The same bytes read as `dtype`; the last axis scales by the ratio of the item sizes.
array view(const array& a, Dtype dtype);

// The shape `shape` (at most one -1, inferred) gives an array of `size` elements, or an
// [reshape] error.
Shape reshape_shape(size_t size, Shape shape);
// NumPy broadcasting of two shapes; `op` names the caller in the error.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
std::string shape_string(const Shape& s);
// Validates axes against ndim, makes them non-negative and sorted, rejects duplicates.
std::vector<int> normalize_axes(std::vector<int> axes, int ndim, const char* op);

}  // namespace mlx

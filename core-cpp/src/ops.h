// Ops: validate arguments, promote dtypes, broadcast, then build primitives. Errors are
// std::invalid_argument("[op] message"), as in MLX.
#pragma once

#include <optional>
#include <vector>

#include "array.h"
// add, multiply, exp, ...: most ops and rules are built from the element-wise ones.
#include "ops_elementwise.h"

namespace mlx {

// ---- creation -----------------------------------------------------------------------
array arange(double start, double stop, double step, Dtype dtype);
array full(Shape shape, const array& value, Dtype dtype);
array full(Shape shape, const array& value);
array zeros(Shape shape, Dtype dtype = Dtype::float32);
array ones(Shape shape, Dtype dtype = Dtype::float32);

array zeros_like(const array& a);
array ones_like(const array& a);
// Identity in value; no gradient flows through it.
array stop_gradient(const array& a);
// A new array (graph node) with the same value, sharing the buffer.
array copy(const array& a);

// ---- reductions ---------------------------------------------------------------------
// No axes means every axis.
array sum(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);
array mean(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);
array max(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);

// ---- shapes -------------------------------------------------------------------------
// One -1 in `shape` is inferred.
array reshape(const array& a, Shape shape);
// No axes reverses them.
array transpose(const array& a, std::optional<std::vector<int>> axes = std::nullopt);
array broadcast_to(const array& a, const Shape& shape);
array astype(const array& a, Dtype dtype);
// The same bytes read as `dtype`; the last axis scales by the ratio of the item sizes.
array view(const array& a, Dtype dtype);

// ---- linear algebra -----------------------------------------------------------------
array matmul(const array& a, const array& b);

// ---- helpers shared by ops ----------------------------------------------------------
// Sums `a` (of a shape `shape` broadcasts to) back down to `shape`: the vjp of broadcasting.
array sum_to_shape(const array& a, const Shape& shape);
// NumPy broadcasting of two shapes; `op` names the caller in the error.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
std::string shape_string(const Shape& s);
// Validates axes against ndim, makes them non-negative and sorted, rejects duplicates.
std::vector<int> normalize_axes(std::vector<int> axes, int ndim, const char* op);

}  // namespace mlx

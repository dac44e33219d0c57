// Reductions (prod, min, all, any, var, std, argmin, argmax, logsumexp, softmax) and scans
// (cumsum, cumprod, cummax, cummin, logcumsumexp). sum/mean/max live in ops.h.
#pragma once

#include <optional>
#include <vector>

#include "array.h"

namespace mlx {

using Axes = std::optional<std::vector<int>>;  // nullopt: every axis

array prod(const array& a, Axes axes = std::nullopt, bool keepdims = false);
array min(const array& a, Axes axes = std::nullopt, bool keepdims = false);
array all(const array& a, Axes axes = std::nullopt, bool keepdims = false);
array any(const array& a, Axes axes = std::nullopt, bool keepdims = false);
// Variance sum((x - mean)^2) / (N - ddof); standard deviation is its square root.
array var(const array& a, Axes axes = std::nullopt, bool keepdims = false, int ddof = 0);
array std(const array& a, Axes axes = std::nullopt, bool keepdims = false, int ddof = 0);
// Indices (uint32) of the extremum along `axis` (of the flattened array when omitted).
array argmin(const array& a, std::optional<int> axis = std::nullopt, bool keepdims = false);
array argmax(const array& a, std::optional<int> axis = std::nullopt, bool keepdims = false);
array logsumexp(const array& a, Axes axes = std::nullopt, bool keepdims = false);
// `precise` computes 16-bit float inputs in float32.
array softmax(const array& a, Axes axes = std::nullopt, bool precise = false);

// Scans along `axis` (over the flattened array when omitted).
array cumsum(const array& a, std::optional<int> axis = std::nullopt, bool reverse = false, bool inclusive = true);
array cumprod(const array& a, std::optional<int> axis = std::nullopt, bool reverse = false, bool inclusive = true);
array cummax(const array& a, std::optional<int> axis = std::nullopt, bool reverse = false, bool inclusive = true);
array cummin(const array& a, std::optional<int> axis = std::nullopt, bool reverse = false, bool inclusive = true);
array logcumsumexp(const array& a, std::optional<int> axis = std::nullopt, bool reverse = false,
                   bool inclusive = true);

// ---- sum, mean, max (the Reduce primitive) ------------------------------------------
// No axes means every axis.
array sum(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);
array mean(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);
array max(const array& a, std::optional<std::vector<int>> axes = std::nullopt, bool keepdims = false);

// Sums `a` (of a shape `shape` broadcasts to) back down to `shape`: the vjp of broadcasting.
array sum_to_shape(const array& a, const Shape& shape);

}  // namespace mlx

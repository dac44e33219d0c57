#include "ops/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "primitives/reduce.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

std::vector<int> resolve_axes(const Axes& axes, int ndim, const char* op) {
  if (axes) return normalize_axes(*axes, ndim, op);
  std::vector<int> all(ndim);
  std::iota(all.begin(), all.end(), 0);
  return all;
}

Shape without_axes(const Shape& shape, const std::vector<int>& axes) {
  Shape s;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) s.push_back(shape[i]);
  return s;
}

// A Reduce node over `axes` of `a` converted to `out_type`, squeezed unless keepdims.
array reduce_to(const array& a, const Axes& axes, bool keepdims, ReduceType type, Dtype out_type, const char* op) {
  std::vector<int> ax = resolve_axes(axes, a.ndim(), op);
  Shape kept = a.shape();
  for (int i : ax) kept[i] = 1;
  array out(kept, out_type, std::make_shared<Reduce>(type, ax), {astype(a, out_type)});
  return keepdims ? out : reshape(out, without_axes(a.shape(), ax));
}

int resolve_axis(int axis, int ndim, const char* op) {
  if (axis < -ndim || axis >= ndim) {
    fail(op, "Axis " + std::to_string(axis) + " is out of bounds for array with " + std::to_string(ndim) +
                 " dimensions.");
  }
  return axis < 0 ? axis + ndim : axis;
}

array arg_reduce(const array& a, std::optional<int> axis, bool keepdims, bool is_max, const char* op) {
  if (a.size() == 0) fail(op, std::string("Cannot ") + op + " reduce zero size array.");
  if (!axis) {
    array r = arg_reduce(reshape(a, {-1}), 0, true, is_max, op);
    return reshape(r, keepdims ? Shape(a.ndim(), 1) : Shape{});
  }
  int ax = resolve_axis(*axis, a.ndim(), op);
  Shape kept = a.shape();
  kept[ax] = 1;
  array out(kept, Dtype::uint32, std::make_shared<ArgReduce>(is_max, ax), {a});
  return keepdims ? out : reshape(out, without_axes(a.shape(), {ax}));
}

array scan(const array& a, std::optional<int> axis, bool reverse, bool inclusive, ScanType type, Dtype out_type,
           const char* op) {
  if (!axis) return scan(reshape(a, {-1}), 0, reverse, inclusive, type, out_type, op);
  int ax = resolve_axis(*axis, a.ndim(), op);
  return array(a.shape(), out_type, std::make_shared<Scan>(type, ax, reverse, inclusive), {astype(a, out_type)});
}

}  // namespace

array prod(const array& a, Axes axes, bool keepdims) {
  return reduce_to(a, axes, keepdims, ReduceType::Prod, accumulation_dtype(a.dtype()), "prod");
}
// max and min have no identity: reducing an empty axis is an error, while an array that is
// empty because of an axis it keeps reduces to an empty result (MLX, NumPy).
namespace {

void check_extremum_axes(const array& a, const std::optional<std::vector<int>>& axes, const char* op) {
  if (a.size() != 0) return;
  std::vector<int> ax = resolve_axes(axes, a.ndim(), op);
  bool empty_axis = false;
  for (int i : ax) empty_axis = empty_axis || a.shape(i) == 0;
  if (empty_axis) fail(op, std::string("Cannot ") + op + " reduce zero size array.");
}

}  // namespace

array min(const array& a, Axes axes, bool keepdims) {
  check_extremum_axes(a, axes, "min");
  return reduce_to(a, axes, keepdims, ReduceType::Min, a.dtype(), "min");
}
array all(const array& a, Axes axes, bool keepdims) {
  return reduce_to(a, axes, keepdims, ReduceType::And, Dtype::bool_, "all");
}
array any(const array& a, Axes axes, bool keepdims) {
  return reduce_to(a, axes, keepdims, ReduceType::Or, Dtype::bool_, "any");
}

array var(const array& a, Axes axes, bool keepdims, int ddof) {
  Dtype t = to_floating(a.dtype());
  std::vector<int> ax = resolve_axes(axes, a.ndim(), "var");
  array x = astype(a, t);
  double n = 1;
  for (int i : ax) n *= a.shape(i);
  // The mean of `a` itself, so an integer input's mean comes from its exact integer sum.
  array d = subtract(x, mean(a, ax, true));
  array s = sum(multiply(d, d), ax, keepdims);
  // NumPy divides by max(N - ddof, 0): inf (or NaN for 0/0) when no degrees of freedom remain.
  return divide(s, array::scalar(std::max(n - ddof, 0.0), t));
}

array std(const array& a, Axes axes, bool keepdims, int ddof) {
  std::vector<int> ax = resolve_axes(axes, a.ndim(), "std");
  return sqrt(var(a, ax, keepdims, ddof));
}

array argmin(const array& a, std::optional<int> axis, bool keepdims) {
  return arg_reduce(a, axis, keepdims, false, "argmin");
}
array argmax(const array& a, std::optional<int> axis, bool keepdims) {
  return arg_reduce(a, axis, keepdims, true, "argmax");
}

array logsumexp(const array& a, Axes axes, bool keepdims) {
  if (a.size() == 0) fail("logsumexp", "Received empty array.");
  std::vector<int> ax = resolve_axes(axes, a.ndim(), "logsumexp");
  array x = astype(a, to_floating(a.dtype()));
  // Over the last axis alone: one primitive with its own kernel (the same composition as
  // below is its fallback, for the transforms).
  if (ax.size() == 1 && ax[0] == a.ndim() - 1) {
    array out = logsumexp_last_axis(x);
    return keepdims ? out : reshape(out, without_axes(a.shape(), ax));
  }
  // Shifting by the (constant) maximum keeps exp in range; an infinite or NaN maximum is
  // the answer itself (x - max would be NaN there).
  array m = stop_gradient(max(x, ax, true));
  array out = add(log(sum(exp(subtract(x, m)), ax, true)), m);
  out = where(isfinite(m), out, m);
  return keepdims ? out : reshape(out, without_axes(a.shape(), ax));
}

array softmax(const array& a, Axes axes, bool precise) {
  std::vector<int> ax = resolve_axes(axes, a.ndim(), "softmax");
  Dtype t = to_floating(a.dtype());
  Dtype compute = precise && (t == Dtype::float16 || t == Dtype::bfloat16) ? Dtype::float32 : t;
  array x = astype(a, compute);
  if (x.size() == 0) return astype(x, t);
  // Over the last axis alone: one primitive with its own kernel (16-bit floats compute in
  // float32 inside it, so `precise` is always honoured).
  if (ax.size() == 1 && ax[0] == a.ndim() - 1) return softmax_last_axis(astype(a, t));
  array e = exp(subtract(x, stop_gradient(max(x, ax, true))));
  return astype(divide(e, sum(e, ax, true)), t);
}

array cumsum(const array& a, std::optional<int> axis, bool reverse, bool inclusive) {
  Dtype t = a.dtype() == Dtype::bool_ ? Dtype::int32 : a.dtype();
  return scan(a, axis, reverse, inclusive, ScanType::Sum, t, "cumsum");
}
// Unlike cumsum, MLX's cumprod keeps bool (a running logical and).
array cumprod(const array& a, std::optional<int> axis, bool reverse, bool inclusive) {
  return scan(a, axis, reverse, inclusive, ScanType::Prod, a.dtype(), "cumprod");
}
array cummax(const array& a, std::optional<int> axis, bool reverse, bool inclusive) {
  return scan(a, axis, reverse, inclusive, ScanType::Max, a.dtype(), "cummax");
}
array cummin(const array& a, std::optional<int> axis, bool reverse, bool inclusive) {
  return scan(a, axis, reverse, inclusive, ScanType::Min, a.dtype(), "cummin");
}
array logcumsumexp(const array& a, std::optional<int> axis, bool reverse, bool inclusive) {
  return scan(a, axis, reverse, inclusive, ScanType::LogAddExp, to_floating(a.dtype()), "logcumsumexp");
}

// ---- sum, mean, max (the Reduce primitive) ------------------------------------------

namespace {

array reduce(const array& a, std::optional<std::vector<int>> axes, bool keepdims, ReduceType type,
             Dtype out_type, const char* op) {
  std::vector<int> ax;
  if (axes) {
    ax = normalize_axes(*axes, a.ndim(), op);
  } else {
    ax.resize(a.ndim());
    std::iota(ax.begin(), ax.end(), 0);
  }
  Shape kept = a.shape();
  for (int i : ax) kept[i] = 1;
  array out(kept, out_type, std::make_shared<Reduce>(type, ax), {astype(a, out_type)});
  if (keepdims) return out;
  Shape squeezed;
  for (int i = 0; i < a.ndim(); ++i)
    if (std::find(ax.begin(), ax.end(), i) == ax.end()) squeezed.push_back(a.shape(i));
  return reshape(out, squeezed);
}

}  // namespace

array sum_to_shape(const array& a, const Shape& shape) {
  if (a.shape() == shape) return a;
  int lead = a.ndim() - static_cast<int>(shape.size());
  std::vector<int> axes;
  for (int i = 0; i < a.ndim(); ++i) {
    if (i < lead || (shape[i - lead] == 1 && a.shape(i) != 1)) axes.push_back(i);
  }
  return reshape(sum(a, axes, true), shape);
}

array sum(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  return reduce(a, std::move(axes), keepdims, ReduceType::Sum, accumulation_dtype(a.dtype()), "sum");
}

array mean(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  Dtype t = to_floating(a.dtype());
  std::vector<int> ax;
  if (axes) {
    ax = normalize_axes(*axes, a.ndim(), "mean");
  } else {
    ax.resize(a.ndim());
    std::iota(ax.begin(), ax.end(), 0);
  }
  double n = 1;
  for (int i : ax) n *= a.shape(i);
  // MLX sums in sum's own dtype (integers exactly, in int32/int64) and then scales in the
  // floating type: summing integers as float32 would round once the total passes 2^24.
  array s = sum(a, ax, keepdims);
  // 1/0 for an empty reduction gives NaN means, as in NumPy and MLX.
  return astype(multiply(s, array::scalar(1.0 / n, t)), t);
}

array max(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  check_extremum_axes(a, axes, "max");
  return reduce(a, std::move(axes), keepdims, ReduceType::Max, a.dtype(), "max");
}

}  // namespace mlx

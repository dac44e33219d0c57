// Sorting ops (MLX's sort, argsort, partition, argpartition, topk). Axis-less forms work
// on the flattened array. Indices are uint32, as in MLX. NaNs sort last, as in NumPy.
#pragma once

#include "array.h"

namespace mlx {

array sort(const array& a, int axis);
array sort(const array& a);
array argsort(const array& a, int axis);
array argsort(const array& a);
array partition(const array& a, int kth, int axis);
array partition(const array& a, int kth);
array argpartition(const array& a, int kth, int axis);
array argpartition(const array& a, int kth);
// The k largest along axis. MLX leaves their order unspecified; here they come sorted
// ascending (the last k of sort(a, axis)).
array topk(const array& a, int k, int axis);
array topk(const array& a, int k);

// ---- internal helpers (also used by mx.random) ----
// The index (uint32) of a maximum along axis; the axis is removed. Among equal maxima the
// last wins; NaN counts as the largest.
array argmax_along(const array& a, int axis);
// out[..., j, ...] = x[..., idx[..., j, ...], ...]; idx is uint32 and has x's shape except
// along axis (broadcast views are fine).
array gather_axis(const array& x, const array& idx, int axis);
// zeros with length n along axis, plus v added at idx along axis.
array scatter_add_axis(const array& v, const array& idx, int axis, int n);

}  // namespace mlx

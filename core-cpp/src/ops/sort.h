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

}  // namespace mlx

// The sorting family's kernels: every op works lane by lane along one axis (a lane is
// copied out, ordered, and written back).
#pragma once

#include "array.h"

namespace mlx {

enum class SortKind {
  Sort,          // values, stable, NaN last
  ArgSort,       // uint32 indices of the stable sort
  Partition,     // values: position kth holds the sorted value, smaller before, larger after
  ArgPartition,  // indices of the same
  TopK,          // the k largest, ascending (the last k of the stable sort)
  ArgTopK,       // their indices
};

inline bool sort_gives_indices(SortKind k) {
  return k == SortKind::ArgSort || k == SortKind::ArgPartition || k == SortKind::ArgTopK;
}

// `param` is kth (partitions) or k (top-k). out has in's shape except along `axis` (k for top-k).
void sort_eval(const array& in, array& out, SortKind kind, int axis, int param);

}  // namespace mlx

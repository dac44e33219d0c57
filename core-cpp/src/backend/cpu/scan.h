// The scan kernel family (cumsum, cumprod, cummax, cummin, logcumsumexp) along one axis.
#pragma once

#include "array.h"

namespace mlx {

enum class ScanType { Sum, Prod, Max, Min, LogAddExp };

const char* scan_type_name(ScanType type);

// `out` has in's shape and dtype. `reverse` scans from the end of the axis; an exclusive
// scan's element i folds the elements strictly before i (the reducer's identity first).
void scan_eval(const array& in, array& out, int axis, ScanType type, bool reverse, bool inclusive);

}  // namespace mlx

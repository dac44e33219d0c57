// Scatter: writes or reduces slices of `updates` into a copy of the source at positions
// picked by index arrays (see gather.h for how indices are resolved and checked).
#pragma once

#include <string>
#include <vector>

#include "array.h"

namespace mlx {

// MLX's reduce types: None overwrites; the others combine with what is there, so
// repeated indices accumulate.
enum class ScatterType { None, Sum, Prod, Max, Min };

// out = src with, for every index position b, the slice updates[b] (shape of the trailing
// src.ndim() axes of `updates`) combined into src at the indexed start.
void scatter_eval(const array& src, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes, ScatterType type, array& out, const std::string& op);

}  // namespace mlx

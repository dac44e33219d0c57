// CPU kernel of QQMatmul (primitives/qqmm.h): out [M, N] = xhat @ What.T, where xhat is x
// [M, K] quantized and decoded again row by row (float32), and What the weight's rows
// decoded a block at a time, from codes and scales (w quantized) or by quantizing and
// decoding the floating w [N, K] (never the whole matrix at once). The rule per group is
// backend/cpu/fp_group.h (MLX's quantize); sums in float32, the result in out's dtype.
#pragma once

#include <optional>

#include "array.h"

namespace mlx {

void qqmm_eval(const array& x, const array& w, const std::optional<array>& scales,
               const std::optional<array>& global_scale_x, const std::optional<array>& global_scale_w, int group_size,
               int bits, array& out);

}  // namespace mlx

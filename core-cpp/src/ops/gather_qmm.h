// MLX's gather_qmm (defined in ops/quantized.cpp with the other quantization ops, whose
// checks it shares): out[i] = quantized_matmul(x[lhs[i]], w[rhs[i]]) over the broadcast
// index arrays (the flattened batch axes of x and of w; default: arange over each one's
// batch axes), shape lhs.shape + [x.shape(-2), N], in any quantization mode. Without
// indices it is quantized_matmul. `sorted_indices` is MLX's scheduling hint.
#pragma once

#include <optional>
#include <string>

#include "array.h"

namespace mlx {

array gather_qmm(const array& x, const array& w, const array& scales, const std::optional<array>& biases,
                 const std::optional<array>& lhs_indices, const std::optional<array>& rhs_indices,
                 bool transpose = true, std::optional<int> group_size = std::nullopt,
                 std::optional<int> bits = std::nullopt, const std::string& mode = "affine",
                 bool sorted_indices = false);

}  // namespace mlx

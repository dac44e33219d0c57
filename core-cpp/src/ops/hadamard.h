// mx.hadamard_transform: the Walsh-Hadamard transform along the last axis (MLX's op).
#pragma once

#include <optional>

#include "array.h"

namespace mlx {

// scale * H_n @ x over the last axis, n = m * 2^k with m in 1, 12, 20, 28 (MLX's sizes);
// scale defaults to 1/sqrt(n). Non-float inputs compute in float32.
array hadamard_transform(const array& a, std::optional<double> scale = std::nullopt);

}  // namespace mlx

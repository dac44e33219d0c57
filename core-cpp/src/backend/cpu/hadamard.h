// The Hadamard transform kernel: each row of length n = m * 2^k (m in 1, 12, 20, 28)
// multiplied by scale * (H_m kron H_{2^k}), H_{2^k} Sylvester's (natural order) and H_m
// the fixed matrices MLX uses (N. J. A. Sloane's library of Hadamard matrices).
#pragma once

#include <utility>

#include "array.h"

namespace mlx {

// {2^k, m} with n = m * 2^k, or an "[hadamard] ..." error when n has no such form.
std::pair<int, int> decompose_hadamard(int n);

// out = scale * H x (or, with `transposed`, scale * H^T x) along the last axis of `in` (any
// float dtype; float math for 16-bit). Sylvester's factor and H_12 are symmetric, H_20 and
// H_28 are not, so the transpose differs for those sizes.
void hadamard_eval(const array& in, array& out, double scale, bool transposed = false);

}  // namespace mlx

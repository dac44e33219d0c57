// The linalg family's matrix-level gathers and masks, as MLX defines them:
// gather_mm (batched matmul whose index arrays pick the a and b matrices of each product),
// segmented_mm (one product per segment of the inner dimension) and block_masked_mm
// (matmul with block masks on the output and on the operands).
#pragma once

#include <optional>

#include "array.h"

namespace mlx {

// out[q] = a[lhs[q]] @ b[rhs[q]]: indices count the matrices of a's (b's) flattened batch
// axes; a missing index array defaults to arange over its operand's batch, reshaped to it.
// The two index arrays broadcast together (shape S); the output is S + [M, N] (a 1-D a or b
// loses its axis as in matmul). With no index arrays it is matmul(a, b). sorted_indices is
// MLX's hint that the one given index array is sorted (kept; the CPU kernel needs no hint).
array gather_mm(array a, array b, std::optional<array> lhs_indices, std::optional<array> rhs_indices,
                bool sorted_indices = false);

// a [M, K], b [K, N], segments integer [..., 2]: out[..., M, N] with out[q] = a[:, s:e] @ b[s:e, :].
array segmented_mm(array a, array b, array segments);

// matmul(a, b) where mask_lhs [..., ceil(M/bs), ceil(K/bs)] and mask_rhs [..., ceil(K/bs),
// ceil(N/bs)] mask (bool) or scale (float) block_size x block_size blocks of a and b, and
// mask_out [..., ceil(M/bs), ceil(N/bs)] those of the product. Masks broadcast over the
// batch axes; block_size is 32 or 64 (MLX's).
array block_masked_mm(array a, array b, int block_size, std::optional<array> mask_out = std::nullopt,
                      std::optional<array> mask_lhs = std::nullopt, std::optional<array> mask_rhs = std::nullopt);

}  // namespace mlx

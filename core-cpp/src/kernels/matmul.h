// Matrix multiplication kernel (batched; the op has broadcast the batch axes).
#pragma once

#include "../array.h"

namespace mlx {

// a: [..., M, K], b: [..., K, N] with equal batch shapes (possibly broadcast views),
// out: [..., M, N] row-contiguous, all of one floating dtype.
void matmul_eval(const array& a, const array& b, array& out);

}  // namespace mlx

// Matrix multiplication kernel (batched; the op has broadcast the batch axes).
#pragma once

#include "array.h"

namespace mlx {

// a: [..., M, K], b: [..., K, N] with equal batch shapes (possibly broadcast views),
// out: [..., M, N] row-contiguous, all of one floating dtype.
void matmul_eval(const array& a, const array& b, array& out);

// Where matrix `batch` (row-major over the batch axes, all but the last two) of `x` starts,
// in elements, for any batch strides (0 for a broadcast axis). Shared by the core GEMM and
// the BLAS path.
inline int64_t batch_offset(const array& x, size_t batch) {
  int64_t off = 0;
  for (int ax = x.ndim() - 3; ax >= 0; --ax) {
    int64_t d = x.shape(ax);
    off += int64_t(batch % d) * x.strides(ax);
    batch /= d;
  }
  return off;
}

}  // namespace mlx

// Matrix multiplication kernel (batched; the op has broadcast the batch axes).
#pragma once

#include "array.h"

namespace mlx {

// a: [..., M, K], b: [..., K, N] with equal batch shapes (possibly broadcast views),
// out: [..., M, N] row-contiguous, all of one floating dtype.
void matmul_eval(const array& a, const array& b, array& out);

// One product into out's row-contiguous M x N block at element `out_off`: A(i, k) =
// a[a_off + i*a_rs + k*a_cs], B(k, j) = b[b_off + k*b_rs + j*b_cs] (offsets and strides in
// elements; any strides). The kernel behind gather_mm and segmented_mm (float32: the packed
// sgemm; K = 0 writes zeros). out must have its buffer.
void matmul_block(const array& a, int64_t a_off, int64_t a_rs, int64_t a_cs, const array& b, int64_t b_off,
                  int64_t b_rs, int64_t b_cs, array& out, int64_t out_off, int64_t M, int64_t N, int64_t K);

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

// Kernels of the matrix-level gathers: gather_mm (each output matrix is the product of the
// a and b matrices its two indices select) and segmented_mm (each output matrix is the
// product of one slice of a's columns and the same slice of b's rows). Both run the matmul
// kernel (matmul_block) on the selected operands in place: nothing is gathered or copied.
#pragma once

#include "array.h"

namespace mlx {

// a [..., M, K], b [..., K, N] (any batch shapes), lhs and rhs uint32 of one shape S (possibly
// broadcast views), out S + [M, N]: out[q] = a[lhs[q]] @ b[rhs[q]], where an index counts
// matrices over the flattened batch axes. An index past the batch is an "[gather_mm]" error.
void gather_mm_eval(const array& a, const array& b, const array& lhs, const array& rhs, array& out);

// a [M, K], b [K, N], segments uint32 [..., 2], out [..., M, N]: out[q] = a[:, s:e] @ b[s:e, :]
// with (s, e) = segments[q] clamped to [0, K]; an empty range gives zeros.
void segmented_mm_eval(const array& a, const array& b, const array& segments, array& out);

}  // namespace mlx

// The matrix decompositions (mx.linalg.qr, mx.linalg.svd) of float32/float64 arrays in the
// last two axes, batched over the leading ones.
#pragma once

#include <vector>

#include "array.h"

namespace mlx {

// {q [..., m, k], r [..., k, n]} with k = min(m, n) and a = q r.
std::vector<array> linalg_qr(const array& a);
// compute_uv: {u [..., m, m], s [..., k], vt [..., n, n]}; otherwise {s}.
std::vector<array> linalg_svd(const array& a, bool compute_uv = true);

}  // namespace mlx

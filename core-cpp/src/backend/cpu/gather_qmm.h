// CPU kernel of GatherQMM (primitives/gather_qmm.h): for every index pair i,
// out[i] = x[lhs[i]] @ W[rhs[i]].T (transpose) or x[lhs[i]] @ W[rhs[i]], x's and W's
// batch axes flattened, W decoded a few rows at a time (affine: scale * q + bias; the
// floating-point modes: value * scale). An index past its batch is an error.
#pragma once

#include "array.h"

namespace mlx {

void gather_qmm_eval(const array& x, const array& w, const array& scales, const array* biases, const array& lhs,
                     const array& rhs, int group_size, int bits, bool affine, bool transpose, array& out);

}  // namespace mlx

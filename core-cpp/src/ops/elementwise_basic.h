// The first slice's element-wise arithmetic: validate arguments, promote dtypes, broadcast,
// then build primitives. Errors are std::invalid_argument("[op] message"), as in MLX.
#pragma once

#include "array.h"

namespace mlx {

// ---- element-wise -------------------------------------------------------------------
array negative(const array& a);
array exp(const array& a);
array log(const array& a);
array tanh(const array& a);
array add(const array& a, const array& b);
array subtract(const array& a, const array& b);
array multiply(const array& a, const array& b);
array divide(const array& a, const array& b);

}  // namespace mlx

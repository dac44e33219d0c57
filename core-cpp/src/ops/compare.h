// Comparison ops: element-wise predicates with broadcasting and promotion (bool outputs),
// where, isclose / allclose / array_equal.
#pragma once

#include "array.h"

namespace mlx {

array equal(const array& a, const array& b);
array not_equal(const array& a, const array& b);
array greater(const array& a, const array& b);
array greater_equal(const array& a, const array& b);
array less(const array& a, const array& b);
array less_equal(const array& a, const array& b);

// cond ? x : y, broadcasting all three; x and y are promoted together.
array where(const array& cond, const array& x, const array& y);

// |a - b| <= atol + rtol * |b| element-wise (NumPy's rule).
array isclose(const array& a, const array& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
// Whether isclose holds everywhere (a 0-d bool).
array allclose(const array& a, const array& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
// Same shape and equal values (a 0-d bool); false for different shapes, as in MLX.
array array_equal(const array& a, const array& b, bool equal_nan = false);

}  // namespace mlx

// The element-wise ops: arithmetic, unary math, the division family, power,
// maximum/minimum, logical and bitwise ops, floating-point predicates, clip, nan_to_num.
// Their primitives and kernels come from elementwise_table.h.
// Semantics follow MLX (NumPy where MLX follows NumPy); see the notes on each.
#pragma once

#include <optional>
#include <vector>

#include "array.h"
#include "elementwise_table.h"

namespace mlx {

// The ops elementwise_table.h generates (kinds ToFloat and IntIdentity): exp, log, tanh,
// sqrt, ..., ceil, floor, trunc; each `array name(const array& a)`.
#define MLX_EW_DECLARE_ToFloat(mlx_name) array mlx_name(const array& a);
#define MLX_EW_DECLARE_IntIdentity(mlx_name) array mlx_name(const array& a);
#define MLX_EW_DECLARE_Own(mlx_name)
#define MLX_EW_DECLARE(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) MLX_EW_DECLARE_##OP(MLX_NAME)
MLX_ELEMENTWISE_UNARY(MLX_EW_DECLARE)
MLX_ELEMENTWISE_BINARY(MLX_EW_DECLARE)
#undef MLX_EW_DECLARE
#undef MLX_EW_DECLARE_ToFloat
#undef MLX_EW_DECLARE_IntIdentity
#undef MLX_EW_DECLARE_Own

// ---- arithmetic: promote both operands to one dtype ------------------------------------
array add(const array& a, const array& b);
array subtract(const array& a, const array& b);
array multiply(const array& a, const array& b);
array divide(const array& a, const array& b);  // integers and bool divide in float32
array negative(const array& a);                 // not for bool

// ---- unary: keep integer dtypes ------------------------------------------------------
array abs(const array& a);     // unsigned and bool: identity
array sign(const array& a);    // bool: identity; NaN stays NaN
array square(const array& a);  // integers wrap on overflow
// Half to even. decimals != 0 scales by 10^decimals in floating point (as NumPy) and casts
// back to the input dtype.
array round(const array& a, int decimals = 0);

// ---- unary: promote integers and bool to float32 -----------------------------------
array reciprocal(const array& a);
array degrees(const array& a);
array radians(const array& a);

// ---- complex parts: real and imag give float32 for complex64 ------------------------------
array real(const array& a);       // real input: the array
array imag(const array& a);       // real input: zeros
array conjugate(const array& a);  // real input: the array

// ---- binary ---------------------------------------------------------------------------
// Integers floor (-7 // 2 == -4), x // 0 == 0; floats floor(a / b). Not for bool.
array floor_divide(const array& a, const array& b);
// Sign of the divisor; integer x % 0 == 0. Not for bool.
array remainder(const array& a, const array& b);
// {floor_divide(a, b), remainder(a, b)} in one pass.
std::vector<array> divmod(const array& a, const array& b);
// Integer powers for integer dtypes (negative exponents: see kernels/elementwise_ops.h).
array power(const array& a, const array& b);
array maximum(const array& a, const array& b);  // NaN propagates
array minimum(const array& a, const array& b);  // NaN propagates
array logaddexp(const array& a, const array& b);
array arctan2(const array& a, const array& b);

// ---- logical (any dtype in, bool out) --------------------------------------------------
array logical_not(const array& a);
array logical_and(const array& a, const array& b);
array logical_or(const array& a, const array& b);
// Integer and bool inputs give constant results (no NaN or infinity there).
array isnan(const array& a);
array isinf(const array& a);
array isfinite(const array& a);
array isposinf(const array& a);
array isneginf(const array& a);

// ---- bitwise (integers and bool) --------------------------------------------------------
array bitwise_and(const array& a, const array& b);
array bitwise_or(const array& a, const array& b);
array bitwise_xor(const array& a, const array& b);
array bitwise_invert(const array& a);  // bool: logical_not
// Bool operands shift as uint8. Counts outside [0, bits): see kernels/elementwise_ops.h.
array left_shift(const array& a, const array& b);
array right_shift(const array& a, const array& b);

// ---- clip and nan_to_num ----------------------------------------------------------------
// minimum(maximum(a, a_min), a_max) with the bounds that are given (at least one).
array clip(const array& a, const std::optional<array>& a_min, const std::optional<array>& a_max);
// Floating inputs: NaN -> nan, +inf -> posinf (default: the dtype's max), -inf -> neginf
// (default: its lowest). Other dtypes are returned unchanged.
array nan_to_num(const array& a, double nan = 0.0, std::optional<double> posinf = std::nullopt,
                 std::optional<double> neginf = std::nullopt);

}  // namespace mlx

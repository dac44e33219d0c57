// FP8 e4m3 (the "fn" variant: bias 7, no infinities, 0x7F/0xFF NaN, largest finite 448)
// conversion kernels behind mx.to_fp8 / mx.from_fp8, with MLX's rounding: round to
// nearest even, and anything at or above 464 in magnitude (or NaN) saturating to +-448.
#pragma once

#include <cstdint>

#include "array.h"

namespace mlx {

uint8_t float_to_fp8_e4m3(float x);
float fp8_e4m3_to_float(uint8_t bits);

// out (uint8) = the e4m3 code of each element of in (any float dtype, read as float32).
void to_fp8_eval(const array& in, array& out);
// out (a float dtype) = the value of each uint8 e4m3 code of in.
void from_fp8_eval(const array& in, array& out);

}  // namespace mlx

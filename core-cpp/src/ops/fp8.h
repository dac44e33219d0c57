// mx.to_fp8 / mx.from_fp8: float arrays to and from FP8 e4m3 codes held in uint8 (MLX's ops,
// used by its fp quantization modes). See backend/cpu/fp8.h for the rounding.
#pragma once

#include "array.h"

namespace mlx {

// The e4m3 code (uint8) of each element of a real floating array.
array to_fp8(const array& x);
// The values (of the real floating `dtype`) of the uint8 e4m3 codes in x.
array from_fp8(const array& x, Dtype dtype);

}  // namespace mlx

// The one place kernels include wasm SIMD128 from: MLX_SIMD128 is 1 in the wasm builds
// (-msimd128) and 0 natively, where the plain loops are left to the compiler's vectoriser.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define MLX_SIMD128 1
#else
#define MLX_SIMD128 0
#endif

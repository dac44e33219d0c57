// CPU kernels of the floating-point quantization modes (primitives/quantized_fp.h): mxfp4
// (e2m1 values, e8m0 scales, groups of 32), mxfp8 (e4m3 values, e8m0 scales, groups of
// 32) and nvfp4 (e2m1 values, e4m3 scales, groups of 16). Codes are packed as the affine
// mode packs them (one little-endian bit stream per row in uint32 words: 4-bit codes 8 to
// a word, 8-bit codes 4 to a word, element 0 lowest); scales are one uint8 code per group.
// The group size says the scale format: 16 -> e4m3, 32 -> e8m0.
#pragma once

#include <optional>

#include "array.h"

namespace mlx {

// wq [..., K * bits / 32] uint32 and scales [..., K / group_size] uint8 from w [..., K]
// (nvfp4's scales encoded against global_scale / (448 * 6) when given: backend/cpu/fp_group.h).
void fp_quantize_eval(const array& w, const std::optional<array>& global_scale, int group_size, int bits, array& wq,
                      array& scales);

// out = value(code) * scale per element, in out's dtype (nvfp4's scale times
// global_scale / (448 * 6) when given).
void fp_dequantize_eval(const array& wq, const array& scales, const std::optional<array>& global_scale, int group_size,
                        int bits, array& out);

// out [B, M, N] = x [B, M, K] @ W.T (transpose) or x @ W, W [Bw, ...] (Bw 1 or B) decoded
// a few rows at a time; arithmetic in float32 (float64 for float64 x).
void fp_quantized_matmul_eval(const array& x, const array& w, const array& scales, int group_size, int bits,
                              bool transpose, array& out);

}  // namespace mlx

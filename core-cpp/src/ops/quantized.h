// MLX's quantization ops: quantize, dequantize and quantized_matmul (gather_qmm: ops/gather_qmm.h).
// Affine mode (MLX's default) is described here; the floating-point modes mxfp4, mxfp8, nvfp4 in docs/quantization.md.
// A weight row of K values is split into groups of `group_size` consecutive values; each
// group keeps a scale and a bias in the input's dtype and its values as `bits`-bit codes
// q in [0, 2^bits - 1] (value ~ scale * q + bias). The codes of a row are packed into
// uint32 words as one little-endian bit stream: element 0 in the lowest bits, and for 3, 5
// and 6 bits a code may straddle two words. Errors are MLX's, prefixed [quantize],
// [dequantize] or [quantized_matmul].
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "array.h"

namespace mlx {

enum class QuantizationMode { Affine, Mxfp4, Mxfp8, Nvfp4 };

// The mode named `mode` ("affine", "mxfp4", "mxfp8", "nvfp4"); `[op] Invalid quantization mode` otherwise.
QuantizationMode quantization_mode(const std::string& mode, const char* op);
const char* quantization_mode_name(QuantizationMode mode);

// w [..., K] (floating, ndim >= 2, K a multiple of group_size) -> {wq [..., K * bits / 32]
// uint32, scales [..., K / group_size], biases [..., K / group_size]}. MLX's rule per group:
// the end of larger magnitude (min or max) is represented exactly; scale = (max - min) /
// (2^bits - 1) (at least 1e-7), negative when max is that end; q = round((w - bias) / scale)
// clipped to [0, 2^bits - 1]. Defaults: group_size 64, bits 4.
std::vector<array> quantize(const array& w, std::optional<int> group_size = std::nullopt,
                            std::optional<int> bits = std::nullopt, const std::string& mode = "affine");

// scales * q + biases per group, in `dtype` (default: the promoted dtype of scales and biases).
array dequantize(const array& wq, const array& scales, const std::optional<array>& biases,
                 std::optional<int> group_size = std::nullopt, std::optional<int> bits = std::nullopt,
                 const std::string& mode = "affine", std::optional<Dtype> dtype = std::nullopt);

// x @ dequantize(w).T (transpose, the default: w holds [N, K] quantized along K) or
// x @ dequantize(w) (w holds [K, N] quantized along N), without dequantizing w in memory.
// x [..., K]; the result [..., N] has the promoted dtype of x, scales and biases.
array quantized_matmul(const array& x, const array& w, const array& scales, const std::optional<array>& biases,
                       bool transpose = true, std::optional<int> group_size = std::nullopt,
                       std::optional<int> bits = std::nullopt, const std::string& mode = "affine");

}  // namespace mlx

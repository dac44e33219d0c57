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
// clipped to [0, 2^bits - 1]. Defaults: group_size 64, bits 4. `global_scale` (nvfp4
// only: a float32 scalar, MLX's tensor scale) encodes the scales against global_scale / (448 * 6).
std::vector<array> quantize(const array& w, std::optional<int> group_size = std::nullopt,
                            std::optional<int> bits = std::nullopt, const std::string& mode = "affine",
                            const std::optional<array>& global_scale = std::nullopt);

// scales * q + biases per group, in `dtype` (default: the promoted dtype of scales and biases).
// `global_scale`: nvfp4's tensor scale the scales were encoded against (quantize).
array dequantize(const array& wq, const array& scales, const std::optional<array>& biases,
                 std::optional<int> group_size = std::nullopt, std::optional<int> bits = std::nullopt,
                 const std::string& mode = "affine", std::optional<Dtype> dtype = std::nullopt,
                 const std::optional<array>& global_scale = std::nullopt);

// x @ dequantize(w).T (transpose, the default: w holds [N, K] quantized along K) or
// x @ dequantize(w) (w holds [K, N] quantized along N), without dequantizing w in memory.
// x [..., K]; the result [..., N] has the promoted dtype of x, scales and biases.
array quantized_matmul(const array& x, const array& w, const array& scales, const std::optional<array>& biases,
                       bool transpose = true, std::optional<int> group_size = std::nullopt,
                       std::optional<int> bits = std::nullopt, const std::string& mode = "affine");

// MLX's qqmm: x [M, K] (or [K], or [..., M, K] with a 2-D w) times w.T with x quantized on
// the fly in `mode` (nvfp4, the default, or mxfp8), and w either quantized already (uint32
// codes with uint8 `scales`) or floating and quantized on the fly too. The result has x's
// dtype. nvfp4's global scales go together (both or neither). ops/qqmm.cpp.
array qqmm(const array& x, const array& w, const std::optional<array>& scales = std::nullopt,
           std::optional<int> group_size = std::nullopt, std::optional<int> bits = std::nullopt,
           const std::string& mode = "nvfp4", const std::optional<array>& global_scale_x = std::nullopt,
           const std::optional<array>& global_scale_w = std::nullopt);

namespace quant_detail {
// The checks the quantization ops share (MLX's messages, prefixed with `[op]`).
[[noreturn]] void fail(const char* op, const std::string& msg);
std::pair<int, int> params_of(QuantizationMode mode, std::optional<int> group_size, std::optional<int> bits);
void check_fp_params(const char* op, QuantizationMode mode, int group_size, int bits);
void check_quantized_input(const char* op, const array& w, const array& scales, const std::optional<array>& biases,
                           int group_size, int bits);
std::pair<int, int> matmul_dims(const char* op, const array& x, const array& w, bool transpose, int group_size,
                                int bits);
// MLX's validate_global_scale: nvfp4 only, one value, float32.
void check_global_scale(const char* op, QuantizationMode mode, const std::optional<array>& global_scale);
}  // namespace quant_detail

}  // namespace mlx

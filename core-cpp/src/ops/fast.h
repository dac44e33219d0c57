// mx.fast: the ops MLX gives fused kernels (rms_norm, layer_norm, rope). Each validates
// and promotes its arguments, then builds one primitive (primitives/fast.h) that carries
// the reference composition for its transforms. Errors name the op: [rms_norm] etc.
#pragma once

#include <optional>

#include "array.h"

namespace mlx::fast {

// x / sqrt(mean(x^2, -1) + eps) * weight over the last axis. The result has the promoted
// dtype of x and weight (x's without weight), which must be floating.
array rms_norm(const array& x, const std::optional<array>& weight, double eps = 1e-5);

// (x - mean) / sqrt(var + eps) * weight + bias over the last axis (weight, bias optional).
array layer_norm(const array& x, const std::optional<array>& weight, const std::optional<array>& bias,
                 double eps = 1e-5);

// Rotary positional encoding of the first `dims` features of x [..., L, D] (ndim >= 3):
// position offset + l, times `scale`, rotates pair j by position * base^(-2j/dims);
// `traditional` pairs (2j, 2j+1), otherwise (j, j + dims/2).
array rope(const array& x, int dims, bool traditional = false, double base = 10000, double scale = 1,
           int offset = 0);

// softmax(scale * q k^T + mask) v for q [B, Hq, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv]
// (Hq a multiple of Hkv: grouped-query attention). `scale` defaults to 1 / sqrt(D). `mask`:
// an array broadcastable to the scores [B, Hq, Lq, Lk], boolean (false = hidden) or added;
// `causal` hides key j from query i when j > i + Lk - Lq (not both). The softmax runs in
// float32 for 16-bit inputs.
array scaled_dot_product_attention(const array& q, const array& k, const array& v, std::optional<double> scale,
                                   const std::optional<array>& mask, bool causal);

}  // namespace mlx::fast

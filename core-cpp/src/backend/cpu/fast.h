// The CPU kernels of the `fast` primitives (primitives_fast.h): RMS norm, layer norm and
// RoPE over the last axis, one pass per row group, templated over the floating dtypes
// (16-bit floats read and accumulate in float32 and round once on store; float64 stays in
// double), spread over threads by rows.
#pragma once

#include "array.h"

namespace mlx {

// y = x * rsqrt(mean(x^2) + eps) [* w]; x, w (may be null) and out share a floating dtype,
// w has x's last dimension. out gets a row-contiguous buffer.
void rms_norm_eval(const array& x, const array* w, double eps, array& out);

// y = (x - mean) * rsqrt(var + eps) [* w] [+ b]: the variance of x - mean (two passes).
void layer_norm_eval(const array& x, const array* w, const array* b, double eps, array& out);

// Rotates pairs of the first `dims` features of x [..., L, D]: position offset + l (times
// `scale`) turns pair j by position * base^(-2j/dims); traditional pairs (2j, 2j+1),
// otherwise (j, j + dims/2). The other features are copied.
void rope_eval(const array& x, int dims, bool traditional, double base, double scale, int offset, array& out);

// softmax(scale * q k^T + mask) v for q [B, Hq, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv]
// (Hq a multiple of Hkv: query head h reads key/value head h / (Hq / Hkv)). `mask` (may be
// null) has the scores' shape [B, Hq, Lq, Lk] with any strides (broadcast views): bool keeps
// the scores where true (-inf elsewhere), otherwise it is added; `causal` hides key j from
// query i when j > i + Lk - Lq. One pass over the keys per query row.
void sdpa_eval(const array& q, const array& k, const array& v, const array* mask, bool causal, double scale,
               array& out);

}  // namespace mlx

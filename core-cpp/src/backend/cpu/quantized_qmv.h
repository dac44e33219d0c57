// Quantized matrix-vector products for a few rows of x (decode: one token at a time), on the
// packed affine words of 2-, 4- and 8-bit weights (backend/cpu/quantized.h has the layout).
#pragma once

#include <cstdint>

namespace mlx {

// Rows of x the matrix-vector kernels take; more rows go to the tiled kernel
// (quantized_qmm.h), which amortises the decoding over the rows.
constexpr int64_t kQmvMaxRows = 8;

// Whether the qmv kernels handle this layout: bits 2, 4 or 8 and a group spanning whole
// 4-word blocks (qmv_t) or whole words (qmv_n); everything else takes the generic path.
bool qmv_supported(int bits, int group_size, bool transpose);

// out [M, N] (row stride N) = x [M, K] @ W.T with W [N, K] packed along K, scales/biases
// [N, K / gs]; x is float32 (converted by the caller), S the scale type, O the output's.
// Threads split the output columns.
template <typename S, typename O>
void qmv_t(const float* x, const uint32_t* w, const S* scales, const S* biases, O* out, int64_t M, int64_t N,
           int64_t K, int group_size, int bits);

// out [M, N] = x [M, K] @ W with W [K, N] packed along N, scales/biases [K, N / gs].
template <typename S, typename O>
void qmv_n(const float* x, const uint32_t* w, const S* scales, const S* biases, O* out, int64_t M, int64_t N,
           int64_t K, int group_size, int bits);

}  // namespace mlx

// Quantized matrix products for many rows of x (prompt processing, training batches): the
// weights are decoded a panel at a time into a small float buffer and multiplied by the
// float32 GEMM, so the cost is the float GEMM's plus one decode of each weight.
#pragma once

#include <cstdint>

namespace mlx {

// out [M, N] (row stride N) = x [M, K] @ W.T (transpose: W [N, K] packed along K) or x @ W
// (W [K, N] packed along N), float32 x, any bit width. In the wasm build and the C++ tests
// the packer hands panels straight to the core's GEMM (matmul_f32.h); with BLAS (the native
// addon) blocks of columns are decoded into a buffer of about 4 MiB and multiplied by sgemm.
template <typename S, typename O>
void qmm_tiled(const float* x, const uint32_t* w, const S* scales, const S* biases, O* out, int64_t M, int64_t N,
               int64_t K, int group_size, int bits, bool transpose);

}  // namespace mlx

// CPU kernels of the affine quantization primitives (primitives/quantized.h). A row of K
// values is stored as K * bits / 32 uint32 words holding one little-endian bit stream of
// bits-wide codes (element 0 in the lowest bits; 3, 5 and 6-bit codes straddle words), with
// a scale and a bias per group of `group_size` consecutive values. Arithmetic on the codes
// is float32 for every dtype but float64 (MLX's rule computes in float32).
#pragma once

#include "array.h"

namespace mlx {

// MLX's affine rule per group (see ops/quantized.h); fills wq (uint32), scales and biases
// (w's dtype), all given row-contiguous buffers here.
void quantize_eval(const array& w, int group_size, int bits, array& wq, array& scales, array& biases);

// out = scales * q + biases per group, rounded to out's dtype after each operation as MLX's
// composition (q * scale, then + bias) does. scales/biases have out's dtype.
void dequantize_eval(const array& wq, const array& scales, const array& biases, int group_size, int bits,
                     array& out);

// out [B, M, N] = x [B, M, K] @ W.T (transpose; W [Bw, N, K] quantized along K) or x @ W
// (W [Bw, K, N] quantized along N), Bw 1 or B, reading the packed words (never a dequantized
// copy of the matrix): up to 8 rows of x through the matrix-vector kernels (quantized_qmv.h),
// more through the float GEMM with a decoding B packer (quantized_qmm.h). Threads split the
// output columns.
void quantized_matmul_eval(const array& x, const array& w, const array& scales, const array& biases, int group_size,
                           int bits, bool transpose, array& out);

}  // namespace mlx

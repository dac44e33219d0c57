// The kernels' parameter structs: valid both as Metal Shading Language and as C++ (no
// address-space qualifiers), so the Objective-C++ backend includes this very file to fill
// them and the layouts cannot drift apart. long is 64-bit on both sides.
#pragma once

#define MLX_METAL_MAX_NDIM 8
// Threadgroup shapes the kernels are written for (the host dispatches with the same).
#define MLX_METAL_REDUCE_THREADS 128  // reduce_rows
#define MLX_METAL_ROW_THREADS 128     // softmax, logsumexp, norms
#define MLX_METAL_TILE 16             // gemm_tiled: TILE x TILE threads
#define MLX_METAL_SDPA_MAX_D 256      // sdpa: one thread per feature of the head
#define MLX_METAL_QMV_THREADS 64      // qmv_t: threads per group (a power of two)
#define MLX_METAL_QMV_ROWS 4          // qmv_t: weight rows (outputs) per group
#define MLX_METAL_QMM_BK 32           // qmm_tiled: depth of a step (a multiple of TILE)

// A strided view: element i (row-major over shape) lives at sum(idx[d] * strides[d]).
// Broadcast axes have stride 0.
struct Layout {
  int ndim;
  int shape[MLX_METAL_MAX_NDIM];
  long strides[MLX_METAL_MAX_NDIM];
};

struct GemmParams {
  int M, N, K;
  long a_rs, a_cs, b_rs, b_cs;  // matrix strides of A and B (elements)
  Layout a_batch, b_batch;      // A's and B's batch axes (ndim 0: a single matrix)
};

struct NormParams {
  unsigned int D;
  float eps;
  int has_w, has_b;
};

struct RopeParams {
  unsigned int D;         // features per row
  unsigned int dims;      // rotated features (even, <= D); the rest are copied
  unsigned int seq_len;   // rows per sequence: the position of row r is offset + r % seq_len
  int offset;
  float base;
  float scale;    // positions are multiplied by scale
  int traditional;
};


struct SdpaParams {
  unsigned int Lq, Lk, D;  // queries, keys, head dimension (threads per group = D)
  float scale;
  int causal;              // key j is visible to query i when j <= i + Lk - Lq
};

// QuantizedMatmul (quantized.h): out [batches, M, N] = x [batches, M, K] times the
// quantized W of each batch (transposed or not); batch strides in elements (x), words
// (w) and elements (scales and biases); 0 when one W serves every batch. GatherQMM
// (gather != 0): output matrix z multiplies x matrix lhs[z] by W matrix rhs[z].
struct QuantParams {
  int M, N, K;
  int group_size, bits;
  int gather;
  long x_batch, w_batch, s_batch;
};

// Dequantize (quantized.h): `total` values in rows of n, each row `words` uint words.
struct DequantParams {
  unsigned int n, words, group_size, total;
  int bits;
};

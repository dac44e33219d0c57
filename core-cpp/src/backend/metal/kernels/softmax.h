// softmax and logsumexp over the last axis of a row-contiguous [rows, row_size] input:
// one threadgroup of RT threads per row, two threadgroup tree reductions (the row max,
// then the sum of exp(x - max)), all in float.

// Combines every thread's `v` with `op` through `scratch`; all threads get the result.
// (A macro, not a function: threadgroup arrays cannot be passed to helpers portably.)
#define MLX_ROW_ALLREDUCE(scratch, v, lid, OP)                   \
  scratch[lid] = v;                                              \
  threadgroup_barrier(mem_flags::mem_threadgroup);               \
  for (uint s_ = MLX_METAL_ROW_THREADS / 2; s_ > 0; s_ >>= 1) {  \
    if (lid < s_) scratch[lid] = OP(scratch[lid], scratch[lid + s_]); \
    threadgroup_barrier(mem_flags::mem_threadgroup);             \
  }                                                              \
  v = scratch[0];                                                \
  threadgroup_barrier(mem_flags::mem_threadgroup);

inline float mlx_add(float a, float b) { return a + b; }
inline float mlx_fmax(float a, float b) { return (a != a) ? a : (b != b) ? b : (a > b ? a : b); }

template <typename T>
[[kernel]] void softmax_rows(device const T* in [[buffer(0)]], device T* out [[buffer(1)]],
                             constant uint& row_size [[buffer(2)]],
                             uint row [[threadgroup_position_in_grid]],
                             uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float scratch[MLX_METAL_ROW_THREADS];
  device const T* x = in + long(row) * row_size;
  device T* y = out + long(row) * row_size;
  float m = -INFINITY;
  for (uint i = lid; i < row_size; i += MLX_METAL_ROW_THREADS) m = mlx_fmax(m, float(x[i]));
  MLX_ROW_ALLREDUCE(scratch, m, lid, mlx_fmax)
  float s = 0.0f;
  // A row of -inf (fully masked) gives NaN, as exp(-inf - -inf) does on the CPU.
  for (uint i = lid; i < row_size; i += MLX_METAL_ROW_THREADS) s += metal::exp(float(x[i]) - m);
  MLX_ROW_ALLREDUCE(scratch, s, lid, mlx_add)
  float inv = 1.0f / s;
  for (uint i = lid; i < row_size; i += MLX_METAL_ROW_THREADS) y[i] = T(metal::exp(float(x[i]) - m) * inv);
}

template <typename T>
[[kernel]] void logsumexp_rows(device const T* in [[buffer(0)]], device T* out [[buffer(1)]],
                               constant uint& row_size [[buffer(2)]],
                               uint row [[threadgroup_position_in_grid]],
                               uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float scratch[MLX_METAL_ROW_THREADS];
  device const T* x = in + long(row) * row_size;
  float m = -INFINITY;
  for (uint i = lid; i < row_size; i += MLX_METAL_ROW_THREADS) m = mlx_fmax(m, float(x[i]));
  MLX_ROW_ALLREDUCE(scratch, m, lid, mlx_fmax)
  float s = 0.0f;
  // An infinite max (all -inf, or a +inf element) is the answer itself.
  bool finite = !metal::isinf(m);
  for (uint i = lid; i < row_size; i += MLX_METAL_ROW_THREADS) s += finite ? metal::exp(float(x[i]) - m) : 0.0f;
  MLX_ROW_ALLREDUCE(scratch, s, lid, mlx_add)
  if (lid == 0) out[row] = T(finite ? m + metal::log(s) : m);
}

INSTANTIATE(softmax_float32, softmax_rows, float)
INSTANTIATE(softmax_float16, softmax_rows, half)
INSTANTIATE(logsumexp_float32, logsumexp_rows, float)
INSTANTIATE(logsumexp_float16, logsumexp_rows, half)

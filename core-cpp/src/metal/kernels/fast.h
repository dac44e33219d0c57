// The `fast` ops over the last axis of a row-contiguous [rows, D] input, one threadgroup
// of MLX_METAL_ROW_THREADS threads per row (softmax.h's MLX_ROW_ALLREDUCE), float math:
//   rms_norm:   y = x * rsqrt(mean(x^2) + eps) * w
//   layer_norm: y = (x - mean) * rsqrt(var + eps) * w + b   (w, b optional: has_w, has_b)
//   rope:       rotates pairs of the first `dims` features of row r (position offset + r %
//               seq_len) by theta_i = pos * base^(-2i/dims); traditional pairs (2i, 2i+1),
//               otherwise (i, i + dims/2). One thread per pair, 2-D grid (pairs, rows).

template <typename T>
[[kernel]] void rms_norm_rows(device const T* in [[buffer(0)]], device const T* w [[buffer(1)]],
                              device T* out [[buffer(2)]], constant NormParams& p [[buffer(3)]],
                              uint row [[threadgroup_position_in_grid]],
                              uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float scratch[MLX_METAL_ROW_THREADS];
  device const T* x = in + long(row) * p.D;
  device T* y = out + long(row) * p.D;
  float ss = 0.0f;
  for (uint i = lid; i < p.D; i += MLX_METAL_ROW_THREADS) ss += float(x[i]) * float(x[i]);
  MLX_ROW_ALLREDUCE(scratch, ss, lid, mlx_add)
  float r = metal::rsqrt(ss / float(p.D) + p.eps);
  for (uint i = lid; i < p.D; i += MLX_METAL_ROW_THREADS) {
    float v = float(x[i]) * r;
    y[i] = T(p.has_w ? v * float(w[i]) : v);
  }
}

template <typename T>
[[kernel]] void layer_norm_rows(device const T* in [[buffer(0)]], device const T* w [[buffer(1)]],
                                device const T* bias [[buffer(2)]], device T* out [[buffer(3)]],
                                constant NormParams& p [[buffer(4)]],
                                uint row [[threadgroup_position_in_grid]],
                                uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float scratch[MLX_METAL_ROW_THREADS];
  device const T* x = in + long(row) * p.D;
  device T* y = out + long(row) * p.D;
  float s = 0.0f;
  for (uint i = lid; i < p.D; i += MLX_METAL_ROW_THREADS) s += float(x[i]);
  MLX_ROW_ALLREDUCE(scratch, s, lid, mlx_add)
  float mean = s / float(p.D);
  float v = 0.0f;  // two passes: the variance of x - mean, stable for large means
  for (uint i = lid; i < p.D; i += MLX_METAL_ROW_THREADS) {
    float d = float(x[i]) - mean;
    v += d * d;
  }
  MLX_ROW_ALLREDUCE(scratch, v, lid, mlx_add)
  float r = metal::rsqrt(v / float(p.D) + p.eps);
  for (uint i = lid; i < p.D; i += MLX_METAL_ROW_THREADS) {
    float o = (float(x[i]) - mean) * r;
    if (p.has_w) o *= float(w[i]);
    if (p.has_b) o += float(bias[i]);
    y[i] = T(o);
  }
}

template <typename T>
[[kernel]] void rope_rows(device const T* in [[buffer(0)]], device T* out [[buffer(1)]],
                          constant RopeParams& p [[buffer(2)]], uint2 gid [[thread_position_in_grid]]) {
  uint half_dims = p.dims / 2;
  uint row = gid.y;
  uint i = gid.x;
  device const T* x = in + long(row) * p.D;
  device T* y = out + long(row) * p.D;
  if (i < half_dims) {
    float pos = p.scale * float(p.offset + int(row % p.seq_len));
    float theta = pos * metal::exp(-metal::log(p.base) * float(2 * i) / float(p.dims));
    float c = metal::cos(theta), s = metal::sin(theta);
    uint i0 = p.traditional ? 2 * i : i;
    uint i1 = p.traditional ? 2 * i + 1 : i + half_dims;
    float x0 = float(x[i0]), x1 = float(x[i1]);
    y[i0] = T(x0 * c - x1 * s);
    y[i1] = T(x0 * s + x1 * c);
  }
  // The features past `dims` pass through (threads i cover them in steps of half_dims).
  for (uint j = p.dims + i; j < p.D && half_dims > 0; j += half_dims) y[j] = x[j];
}

INSTANTIATE(rms_norm_float32, rms_norm_rows, float)
INSTANTIATE(rms_norm_float16, rms_norm_rows, half)
INSTANTIATE(layer_norm_float32, layer_norm_rows, float)
INSTANTIATE(layer_norm_float16, layer_norm_rows, half)
INSTANTIATE(rope_float32, rope_rows, float)
INSTANTIATE(rope_float16, rope_rows, half)

// The `fast` ops (sdpa at the end of the file) over the last axis of a row-contiguous [rows, D] input, one threadgroup
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

// Scaled dot-product attention for row-contiguous q [B, Lq, D], k and v [B, Lk, D] (the
// host folds heads into B and broadcasts grouped keys): one threadgroup of D threads per
// (query, batch); keys are taken in blocks of D: each thread scores one key of the block
// (q . k * scale) into threadgroup memory, then every thread runs the online softmax over
// the block (all threads agree on the running max and sum) and accumulates its own output
// feature. Grid: threadgroups (Lq, B), D threads each (D <= MLX_METAL_SDPA_MAX_D).
template <typename T>
[[kernel]] void sdpa_rows(device const T* q [[buffer(0)]], device const T* k [[buffer(1)]],
                          device const T* v [[buffer(2)]], device T* out [[buffer(3)]],
                          constant SdpaParams& p [[buffer(4)]], uint2 group [[threadgroup_position_in_grid]],
                          uint t [[thread_position_in_threadgroup]]) {
  threadgroup float qs[MLX_METAL_SDPA_MAX_D];
  threadgroup float scores[MLX_METAL_SDPA_MAX_D];
  uint i = group.x, b = group.y;
  device const T* qi = q + (long(b) * p.Lq + i) * p.D;
  device const T* kb = k + long(b) * p.Lk * p.D;
  device const T* vb = v + long(b) * p.Lk * p.D;
  qs[t] = float(qi[t]);
  threadgroup_barrier(mem_flags::mem_threadgroup);
  // Keys past `last` are masked (causal); all of them otherwise.
  long last = p.causal ? long(i) + long(p.Lk) - long(p.Lq) : long(p.Lk) - 1;
  float m = -INFINITY, l = 0.0f, acc = 0.0f;
  for (uint j0 = 0; j0 < p.Lk; j0 += p.D) {
    uint j = j0 + t;
    float s = -INFINITY;
    if (j < p.Lk && long(j) <= last) {
      s = 0.0f;
      for (uint d = 0; d < p.D; ++d) s += qs[d] * float(kb[long(j) * p.D + d]);
      s *= p.scale;
    }
    scores[t] = s;
    threadgroup_barrier(mem_flags::mem_threadgroup);
    uint n = metal::min(p.D, p.Lk - j0);
    for (uint c = 0; c < n; ++c) {
      float sc = scores[c];
      if (sc == -INFINITY) continue;
      float m_new = metal::max(m, sc);
      float corr = metal::exp(m - m_new);  // exp(-inf) = 0 the first time
      float w = metal::exp(sc - m_new);
      l = l * corr + w;
      acc = acc * corr + w * float(vb[long(j0 + c) * p.D + t]);
      m = m_new;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
  }
  // A query that sees no key (only possible with causal and Lq > Lk) gets NaN, as 0/0.
  out[(long(b) * p.Lq + i) * p.D + t] = T(acc / l);
}

INSTANTIATE(sdpa_float32, sdpa_rows, float)
INSTANTIATE(sdpa_float16, sdpa_rows, half)
INSTANTIATE(rms_norm_float32, rms_norm_rows, float)
INSTANTIATE(rms_norm_float16, rms_norm_rows, half)
INSTANTIATE(layer_norm_float32, layer_norm_rows, float)
INSTANTIATE(layer_norm_float16, layer_norm_rows, half)
INSTANTIATE(rope_float32, rope_rows, float)
INSTANTIATE(rope_float16, rope_rows, half)

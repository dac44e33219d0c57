// Batched GEMM: out[b] = A[b] @ B[b] with A[b] (M x K) and B[b] (K x N) read through any
// strides (transposed and broadcast operands are not copied); out row-contiguous.
// Tiled: a threadgroup of TILE x TILE threads computes a TILE x TILE block of out; each
// step stages a TILE x TILE tile of A and of B in threadgroup memory (zero-padded at the
// edges, so sizes need not be multiples of TILE) between two barriers.
// Grid: threadgroups (ceil(N/TILE), ceil(M/TILE), batches), TILE x TILE x 1 threads each.

inline long batch_loc(uint batch, constant Layout& l) { return l.ndim == 0 ? 0 : elem_to_loc(batch, l); }

template <typename T>
[[kernel]] void gemm_tiled(device const T* a [[buffer(0)]], device const T* b [[buffer(1)]],
                           device T* out [[buffer(2)]], constant GemmParams& p [[buffer(3)]],
                           uint3 group [[threadgroup_position_in_grid]],
                           uint3 local [[thread_position_in_threadgroup]]) {
  threadgroup float a_tile[MLX_METAL_TILE][MLX_METAL_TILE];
  threadgroup float b_tile[MLX_METAL_TILE][MLX_METAL_TILE];
  const int row = int(group.y) * MLX_METAL_TILE + int(local.y);
  const int col = int(group.x) * MLX_METAL_TILE + int(local.x);
  device const T* ab = a + batch_loc(group.z, p.a_batch);
  device const T* bb = b + batch_loc(group.z, p.b_batch);
  float acc = 0.0f;
  for (int k0 = 0; k0 < p.K; k0 += MLX_METAL_TILE) {
    int ka = k0 + int(local.x);  // this thread loads A(row, ka) and B(kb, col)
    int kb = k0 + int(local.y);
    a_tile[local.y][local.x] = (row < p.M && ka < p.K) ? float(ab[row * p.a_rs + ka * p.a_cs]) : 0.0f;
    b_tile[local.y][local.x] = (kb < p.K && col < p.N) ? float(bb[kb * p.b_rs + col * p.b_cs]) : 0.0f;
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (int k = 0; k < MLX_METAL_TILE; ++k) acc += a_tile[local.y][k] * b_tile[k][local.x];
    threadgroup_barrier(mem_flags::mem_threadgroup);
  }
  if (row < p.M && col < p.N) out[long(group.z) * p.M * p.N + long(row) * p.N + col] = T(acc);
}

INSTANTIATE(matmul_float32, gemm_tiled, float)
INSTANTIATE(matmul_float16, gemm_tiled, half)

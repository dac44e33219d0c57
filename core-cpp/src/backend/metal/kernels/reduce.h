// Reductions over the last axis of a row-contiguous [rows, row_size] input: one
// threadgroup of RT threads per row; each thread folds a strided slice of the row, then
// the partials are combined as a tree in threadgroup memory with a barrier per level.
// (The backend makes any reduction this shape first: reduced axes moved last by a copy.)
// Full reductions are one row.

template <typename U>
struct RSum {
  static U init() { return U(0); }
  U operator()(U a, U b) const { return a + b; }
};
template <typename U>
struct RProd {
  static U init() { return U(1); }
  U operator()(U a, U b) const { return a * b; }
};
template <typename U>
struct RMax {
  static U init() { return metal::numeric_limits<U>::lowest(); }
  U operator()(U a, U b) const { return (a != a) ? a : (b != b) ? b : (a > b ? a : b); }
};
template <typename U>
struct RMin {
  static U init() { return metal::numeric_limits<U>::max(); }
  U operator()(U a, U b) const { return (a != a) ? a : (b != b) ? b : (a < b ? a : b); }
};

// T: input, U: output, A: accumulator type, Op<A> the reduction.
template <typename T, typename U, typename A, typename Op>
[[kernel]] void reduce_rows(device const T* in [[buffer(0)]], device U* out [[buffer(1)]],
                            constant uint& row_size [[buffer(2)]],
                            uint row [[threadgroup_position_in_grid]],
                            uint lid [[thread_position_in_threadgroup]]) {
  threadgroup A partial[MLX_METAL_REDUCE_THREADS];
  Op op;
  A acc = Op::init();
  device const T* x = in + long(row) * row_size;
  for (uint i = lid; i < row_size; i += MLX_METAL_REDUCE_THREADS) acc = op(acc, A(x[i]));
  partial[lid] = acc;
  threadgroup_barrier(mem_flags::mem_threadgroup);
  for (uint s = MLX_METAL_REDUCE_THREADS / 2; s > 0; s >>= 1) {
    if (lid < s) partial[lid] = op(partial[lid], partial[lid + s]);
    threadgroup_barrier(mem_flags::mem_threadgroup);
  }
  if (lid == 0) out[row] = U(partial[0]);
}

INSTANTIATE(sum_float32, reduce_rows, float, float, float, RSum<float>)
INSTANTIATE(prod_float32, reduce_rows, float, float, float, RProd<float>)
INSTANTIATE(max_float32, reduce_rows, float, float, float, RMax<float>)
INSTANTIATE(min_float32, reduce_rows, float, float, float, RMin<float>)
INSTANTIATE(sum_float16, reduce_rows, half, half, float, RSum<float>)
INSTANTIATE(max_float16, reduce_rows, half, half, float, RMax<float>)
INSTANTIATE(sum_int32, reduce_rows, int, int, int, RSum<int>)
INSTANTIATE(max_int32, reduce_rows, int, int, int, RMax<int>)
INSTANTIATE(min_int32, reduce_rows, int, int, int, RMin<int>)

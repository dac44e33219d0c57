/**
 * The functions the core's wasm module exports (mlxc.h, plain C names). Pointers and
 * size_t are 32-bit and arrive as signed i32 numbers: readers apply `>>> 0`.
 */
export interface CoreExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;

  mlxc_last_error(): number;
  mlxc_clear_error(): void;
  mlxc_unary_op_name(op: number): number;
  mlxc_binary_op_name(op: number): number;
  mlxc_reduce_op_name(op: number): number;

  mlxc_array_free(a: number): number;
  mlxc_array_retain(out: number, a: number): number;
  mlxc_array_new_empty(out: number, shape: number, ndim: number, dtype: number): number;
  mlxc_array_new_scalar(out: number, value: number, dtype: number): number;
  mlxc_array_ndim(a: number): number;
  mlxc_array_shape(a: number): number;
  mlxc_array_dtype(a: number): number;
  mlxc_array_size(a: number): number;
  mlxc_array_is_evaluated(a: number): number;
  mlxc_array_contiguous(out: number, a: number): number;
  mlxc_array_data(a: number): number;
  mlxc_array_id(a: number): number;

  mlxc_vector_new(out: number): number;
  mlxc_vector_free(v: number): number;
  mlxc_vector_append(v: number, a: number): number;
  mlxc_vector_size(v: number): number;
  mlxc_vector_get(out: number, v: number, i: number): number;

  mlxc_closure_new(out: number, hostId: number): number;
  mlxc_closure_free(c: number): number;
  mlxc_closure_apply(out: number, c: number, inputs: number): number;

  mlxc_eval(arrays: number, n: number): number;
  mlxc_memory_stats(out5: number): number;
  mlxc_set_memory_limit(bytes: number): number;
  mlxc_set_cache_limit(bytes: number): number;
  mlxc_clear_cache(): number;
  mlxc_reset_peak_memory(): number;

  mlxc_scratch(): number;

  mlxc_unary(out: number, op: number, a: number): number;
  mlxc_binary(out: number, op: number, a: number, b: number): number;
  mlxc_reduce(out: number, op: number, a: number, axes: number, naxes: number, keepdims: number): number;
  mlxc_reshape(out: number, a: number, shape: number, ndim: number): number;
  mlxc_transpose(out: number, a: number, axes: number, naxes: number): number;
  mlxc_broadcast_to(out: number, a: number, shape: number, ndim: number): number;
  mlxc_astype(out: number, a: number, dtype: number): number;
  mlxc_matmul(out: number, a: number, b: number): number;
  mlxc_arange(out: number, start: number, stop: number, step: number, dtype: number): number;
  mlxc_full(out: number, shape: number, ndim: number, value: number, dtype: number): number;
}

/** Size of the static scratch area behind mlxc_scratch() (MLXC_SCRATCH_BYTES). */
export const SCRATCH_BYTES = 8192;

/** Functions the backend cannot work without; checked at load for a clear error. */
export const REQUIRED_EXPORTS: readonly (keyof CoreExports)[] = [
  'memory', 'mlxc_last_error', 'mlxc_scratch', 'mlxc_array_free', 'mlxc_array_new_empty',
  'mlxc_array_data', 'mlxc_binary', 'mlxc_eval', 'mlxc_closure_apply', 'mlxc_memory_stats',
];

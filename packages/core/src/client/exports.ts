/**
 * The raw C ABI (core-cpp/include/mlxc.h, mlxc_threads.h) as both backends expose it: the
 * wasm module's exports and the native addon's generic bindings take the same arguments.
 * Numbers throughout: handles (opaque pointers, 32-bit in wasm and 64-bit natively, both
 * exact in a double), sizes, and pointers, which are always addresses inside the scratch
 * area (`scratch + offset`; natively the scratch area is the whole buffer, so the offset).
 * In wasm, pointers and size_t come back as signed i32: readers use `unsigned()`. A
 * `const char*` result is an address in wasm and already a string natively.
 *
 * A new C function appears here once (plus mlxc.h and c_api.cpp): the wasm exports and the
 * addon's registrations are both generated from mlxc.h.
 */
export interface CoreExports {
  mlxc_last_error(): number | string;
  mlxc_clear_error(): void;

  mlxc_array_free(a: number): number;
  mlxc_array_retain(out: number, a: number): number;
  mlxc_array_new_empty(out: number, shape: number, ndim: number, dtype: number): number;
  mlxc_array_new_scalar(out: number, value: number, dtype: number): number;
  mlxc_array_ndim(a: number): number;
  mlxc_array_shape(out: number, maxNdim: number, a: number): number;
  mlxc_array_dtype(a: number): number;
  mlxc_array_size(a: number): number;
  mlxc_array_is_evaluated(a: number): number;
  mlxc_array_contiguous(out: number, a: number): number;
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
  mlxc_eval_begin(out: number, arrays: number, n: number): number;
  mlxc_eval_step(session: number, budget: number, done: number): number;
  mlxc_eval_run(session: number): number;
  mlxc_eval_free(session: number): number;
  mlxc_memory_stats(out5: number): number;
  mlxc_set_memory_limit(bytes: number): number;
  mlxc_set_cache_limit(bytes: number): number;
  mlxc_clear_cache(): number;
  mlxc_reset_peak_memory(): number;

  mlxc_op_count(): number;
  mlxc_op_name(id: number): number | string;
  mlxc_op_id(name: number): number;
  mlxc_op_schema(id: number): number | string;
  mlxc_op(
    outputs: number, maxOutputs: number, nOutputs: number, spill: number, id: number, inputs: number, nInputs: number,
    ints: number, nInts: number, reals: number, nReals: number,
  ): number;
  mlxc_op_vector(outputs: number, id: number, inputs: number, ints: number, nInts: number, reals: number, nReals: number): number;

  mlxc_vjp(outputs: number, vjps: number, fn: number, primals: number, cotangents: number): number;
  mlxc_jvp(outputs: number, jvps: number, fn: number, primals: number, tangents: number): number;
  mlxc_value_and_grad(values: number, grads: number, fn: number, primals: number): number;
  mlxc_custom_function(outputs: number, fn: number, vjp: number, jvp: number, vmap: number, args: number): number;
  mlxc_checkpoint(outputs: number, fn: number, args: number): number;
  mlxc_compile(out: number, fn: number, shapeless: number): number;
  mlxc_kernel_count(): number;
  mlxc_vmap(outputs: number, outAxes: number, maxOutputs: number, fn: number, inputs: number, inAxes: number, nInAxes: number): number;

  mlxc_set_num_threads(n: number): number;
  mlxc_get_num_threads(): number;
  mlxc_running_workers(): number;
}

/** Size of the static scratch area behind mlxc_scratch() (MLXC_SCRATCH_BYTES). */
export const SCRATCH_BYTES = 16384;

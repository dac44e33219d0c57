import {
  type Backend,
  type DtypeCode,
  type BinaryOp,
  type Handle,
  type HostFunction,
  HostFunctionTable,
  type MemoryStats,
  type OpFamily,
  type ReduceOp,
  type UnaryOp,
  dtypeFromCode,
} from '@mlxjs/core';
import { type CoreExports, REQUIRED_EXPORTS, SCRATCH_BYTES } from './exports.js';
import { buildImports } from './imports.js';
import { compileCore } from './load.js';

/*
 * Scratch layout (mlxc_scratch(), 8192 bytes, 8-byte aligned): bytes [0, 8) hold the
 * out-parameter of the current call; the rest carries one int32 list (shape, axes or
 * handles) or the five doubles of mlxc_memory_stats. Passing data this way avoids a malloc
 * per op.
 */
const OUT = 0;
const LIST = 8;
const LIST_CAPACITY = (SCRATCH_BYTES - LIST) / 4;

/** The Backend over the core compiled to WebAssembly. */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly x: CoreExports;
  private readonly hostFunctions: HostFunctionTable;
  private readonly scratch: number;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private u32!: Uint32Array;
  private f64!: Float64Array;
  private readonly decoder = new TextDecoder();

  /** Use loadWasmBackend(); this wires an already instantiated module. */
  constructor(exports: CoreExports, table: HostFunctionTable) {
    this.x = exports;
    this.hostFunctions = table;
    this.refreshViews();
    this.scratch = this.x.mlxc_scratch() >>> 0;
  }

  /** Recreates the typed views of linear memory; its buffer is replaced when it grows. */
  refreshViews(): void {
    const buf = this.x.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /** Throws the core's error (or the host function's own Error) for a failing status. */
  private check(status: number): void {
    if (status === 0) return;
    const hostError = this.hostFunctions.takePendingError();
    if (hostError !== undefined) {
      this.x.mlxc_clear_error();
      throw hostError;
    }
    throw new Error(this.cString(this.x.mlxc_last_error()) || '[mlxjs-wasm] A core call failed without a message.');
  }

  /** Reads the out-parameter slot after a successful call. */
  private out(status: number): Handle {
    this.check(status);
    return this.u32[(this.scratch + OUT) >>> 2]!;
  }

  private get outPtr(): number {
    return this.scratch + OUT;
  }

  /** Copies an int32 list into the scratch area and returns its address. */
  private list(values: readonly number[]): number {
    if (values.length > LIST_CAPACITY) {
      throw new Error(`[mlxjs-wasm] A list of ${values.length} values exceeds the scratch area (${LIST_CAPACITY}).`);
    }
    const base = (this.scratch + LIST) >>> 2;
    for (let i = 0; i < values.length; i++) this.i32[base + i] = values[i]!;
    return this.scratch + LIST;
  }

  private cString(ptr: number): string {
    ptr >>>= 0;
    if (ptr === 0) return '';
    let end = ptr;
    while (this.u8[end] !== 0) end++;
    return this.decoder.decode(this.u8.subarray(ptr, end));
  }

  // ---- ops ----------------------------------------------------------------------------

  unary(op: UnaryOp, a: Handle): Handle {
    return this.out(this.x.mlxc_unary(this.outPtr, op, a));
  }

  binary(op: BinaryOp, a: Handle, b: Handle): Handle {
    return this.out(this.x.mlxc_binary(this.outPtr, op, a, b));
  }

  reduce(op: ReduceOp, a: Handle, axes: readonly number[] | null, keepdims: boolean): Handle {
    const ptr = axes === null ? 0 : this.list(axes);
    return this.out(this.x.mlxc_reduce(this.outPtr, op, a, ptr, axes === null ? -1 : axes.length, keepdims ? 1 : 0));
  }

  reshape(a: Handle, shape: readonly number[]): Handle {
    return this.out(this.x.mlxc_reshape(this.outPtr, a, this.list(shape), shape.length));
  }

  transpose(a: Handle, axes: readonly number[] | null): Handle {
    const ptr = axes === null ? 0 : this.list(axes);
    return this.out(this.x.mlxc_transpose(this.outPtr, a, ptr, axes === null ? -1 : axes.length));
  }

  broadcastTo(a: Handle, shape: readonly number[]): Handle {
    return this.out(this.x.mlxc_broadcast_to(this.outPtr, a, this.list(shape), shape.length));
  }

  astype(a: Handle, dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_astype(this.outPtr, a, dtype));
  }

  matmul(a: Handle, b: Handle): Handle {
    return this.out(this.x.mlxc_matmul(this.outPtr, a, b));
  }

  arange(start: number, stop: number, step: number, dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_arange(this.outPtr, start, stop, step, dtype));
  }

  full(shape: readonly number[], value: Handle, dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_full(this.outPtr, this.list(shape), shape.length, value, dtype));
  }

  // ---- creation and reading -----------------------------------------------------------

  fromData(bytes: ArrayBufferView, shape: readonly number[], dtype: DtypeCode): Handle {
    const h = this.out(this.x.mlxc_array_new_empty(this.outPtr, this.list(shape), shape.length, dtype));
    const n = bytes.byteLength;
    if (n > 0) {
      const ptr = this.x.mlxc_array_data(h) >>> 0; // may grow memory: views refresh in the hook
      this.u8.set(new Uint8Array(bytes.buffer, bytes.byteOffset, n), ptr);
    }
    return h;
  }

  scalar(value: number, dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_array_new_scalar(this.outPtr, value, dtype));
  }

  read(h: Handle): Uint8Array {
    this.hostFunctions.pendingError = undefined;
    const c = this.out(this.x.mlxc_array_contiguous(this.outPtr, h));
    try {
      const nbytes = (this.x.mlxc_array_size(c) >>> 0) * dtypeFromCode(this.x.mlxc_array_dtype(c)).size;
      const ptr = this.x.mlxc_array_data(c) >>> 0;
      return this.u8.slice(ptr, ptr + nbytes); // slice copies into a fresh, aligned buffer
    } finally {
      this.x.mlxc_array_free(c);
    }
  }

  free(h: Handle): void {
    this.check(this.x.mlxc_array_free(h));
  }

  retain(h: Handle): Handle {
    return this.out(this.x.mlxc_array_retain(this.outPtr, h));
  }

  shape(h: Handle): number[] {
    const ndim = this.x.mlxc_array_ndim(h);
    const base = (this.x.mlxc_array_shape(h) >>> 0) >>> 2;
    return Array.from(this.i32.subarray(base, base + ndim));
  }

  dtype(h: Handle): DtypeCode {
    return this.x.mlxc_array_dtype(h) as DtypeCode;
  }

  size(h: Handle): number {
    return this.x.mlxc_array_size(h) >>> 0;
  }

  eval(handles: readonly Handle[]): void {
    this.hostFunctions.pendingError = undefined;
    // Evaluating in chunks is equivalent to one call and keeps lists within the scratch area.
    for (let i = 0; i < handles.length; i += LIST_CAPACITY) {
      const chunk = handles.slice(i, i + LIST_CAPACITY);
      this.check(this.x.mlxc_eval(this.list(chunk), chunk.length));
    }
  }

  // ---- closures -----------------------------------------------------------------------

  closureNew(fn: HostFunction, onRelease?: () => void): Handle {
    const id = this.hostFunctions.add(fn, onRelease);
    const status = this.x.mlxc_closure_new(this.outPtr, id);
    if (status !== 0) this.hostFunctions.release(id);
    return this.out(status);
  }

  closureApply(c: Handle, inputs: readonly Handle[]): Handle[] {
    this.hostFunctions.pendingError = undefined;
    const vin = this.newVector(inputs);
    try {
      const vout = this.out(this.x.mlxc_closure_apply(this.outPtr, c, vin));
      try {
        return this.vectorHandles(vout);
      } finally {
        this.x.mlxc_vector_free(vout);
      }
    } finally {
      this.x.mlxc_vector_free(vin);
    }
  }

  closureFree(c: Handle): void {
    this.check(this.x.mlxc_closure_free(c));
  }

  private newVector(handles: readonly Handle[]): number {
    const v = this.out(this.x.mlxc_vector_new(this.outPtr));
    try {
      for (const h of handles) this.check(this.x.mlxc_vector_append(v, h));
    } catch (e) {
      this.x.mlxc_vector_free(v);
      throw e;
    }
    return v;
  }

  /** New handles to every element of a vector (the caller owns them). */
  private vectorHandles(v: number): Handle[] {
    const n = this.x.mlxc_vector_size(v) >>> 0;
    const out: Handle[] = [];
    try {
      for (let i = 0; i < n; i++) out.push(this.out(this.x.mlxc_vector_get(this.outPtr, v, i)));
    } catch (e) {
      for (const h of out) this.x.mlxc_array_free(h);
      throw e;
    }
    return out;
  }

  /**
   * env.mlxc_host_call: the core runs host function `id`. This may happen in the middle of
   * another call that still uses the scratch area, so the area is saved and restored.
   */
  hostCall(id: number, inputs: number, outputs: number): number {
    const saved = this.u8.slice(this.scratch, this.scratch + SCRATCH_BYTES);
    let produced: Handle[] | null = null;
    try {
      const handles = this.vectorHandles(inputs);
      produced = this.hostFunctions.call(id, handles);
      if (produced === null) return 1;
      for (const h of produced) this.check(this.x.mlxc_vector_append(outputs, h));
      return 0;
    } catch (e) {
      if (this.hostFunctions.pendingError === undefined) this.hostFunctions.pendingError = e;
      return 1;
    } finally {
      // The vector holds its own references; the handles the function returned are ours.
      for (const h of produced ?? []) this.x.mlxc_array_free(h);
      this.u8.set(saved, this.scratch);
    }
  }

  /** env.mlxc_host_release: the core no longer references host function `id`. */
  hostRelease(id: number): void {
    this.hostFunctions.release(id);
  }

  // ---- memory -------------------------------------------------------------------------

  memoryStats(): MemoryStats {
    this.check(this.x.mlxc_memory_stats(this.scratch + LIST));
    const base = (this.scratch + LIST) >>> 3;
    const f = this.f64;
    return {
      activeBytes: f[base]!,
      peakBytes: f[base + 1]!,
      cacheBytes: f[base + 2]!,
      liveArrays: f[base + 3]!,
      memoryLimit: f[base + 4]!,
    };
  }

  setMemoryLimit(bytes: number): void {
    this.check(this.x.mlxc_set_memory_limit(bytes));
  }

  setCacheLimit(bytes: number): void {
    this.check(this.x.mlxc_set_cache_limit(bytes));
  }

  clearCache(): void {
    this.check(this.x.mlxc_clear_cache());
  }

  resetPeakMemory(): void {
    this.check(this.x.mlxc_reset_peak_memory());
  }

  opName(family: OpFamily, code: number): string | null {
    const fn = {
      unary: this.x.mlxc_unary_op_name,
      binary: this.x.mlxc_binary_op_name,
      reduce: this.x.mlxc_reduce_op_name,
    }[family];
    const ptr = fn(code) >>> 0;
    return ptr === 0 ? null : this.cString(ptr);
  }
}

/** Loads the core module (from `url`, default: the file next to this package) as a Backend. */
export async function loadWasmBackend(url?: URL): Promise<WasmBackend> {
  const module = await compileCore(url);
  const table = new HostFunctionTable();
  let backend: WasmBackend | null = null;
  let exports: CoreExports | null = null;
  const imports = buildImports(module, {
    hostCall: (id, inputs, outputs) => (backend === null ? 1 : backend.hostCall(id, inputs, outputs)),
    hostRelease: (id) => table.release(id),
    memoryGrew: () => backend?.refreshViews(),
    memory: () => {
      if (exports === null) throw new Error('[mlxjs-wasm] Memory accessed before the module was instantiated.');
      return exports.memory;
    },
  });
  const instance = await WebAssembly.instantiate(module, imports);
  exports = instance.exports as unknown as CoreExports;
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in instance.exports));
  if (missing.length > 0) {
    throw new Error(`[mlxjs-wasm] The core module lacks the exports ${missing.join(', ')}; rebuild it.`);
  }
  exports._initialize?.();
  backend = new WasmBackend(exports, table);
  return backend;
}

/** Whether this environment can run the wasm backend at all. */
export function wasmAvailable(): boolean | string {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function'
    ? true
    : 'WebAssembly is not supported in this environment';
}

import {
  type Backend,
  type DtypeCode,
  type Handle,
  type HostFunction,
  HostFunctionTable,
  type MemoryStats,
  type ThreadingInfo,
  dtypeFromCode,
} from '@mlxjs/core';
import { type CoreExports, REQUIRED_EXPORTS, SCRATCH_BYTES } from './exports.js';
import { EVAL_TRAPPED, EvalThread } from './eval-thread.js';
import { buildImports } from './imports.js';
import { compileCore, defaultWasmMtUrl } from './load.js';
import {
  DEFAULT_MAX_THREADS, type ThreadExports, WasmThreadPool, hardwareThreads, newSharedMemory, threadImports,
  threadsUnsupported,
} from './threads.js';

/*
 * Scratch layout (mlxc_scratch(), 8192 bytes, 8-byte aligned): bytes [0, 8) hold the
 * out-parameter of the current call; the rest carries one int32 list (shape, axes or
 * handles) or the five doubles of mlxc_memory_stats. Passing data this way avoids a malloc
 * per op.
 */
const OUT = 0;
const LIST = 8;
const LIST_CAPACITY = (SCRATCH_BYTES - LIST) / 4;

/*
 * mlxc_op's own layout of the same area: the output count, the output handles, the input
 * handles, the int32 parameters, then the double parameters (8-byte aligned).
 */
const OP_NOUT = 0;
const OP_OUTS = 8;
const OP_MAX_OUTS = 128;
const OP_INS = OP_OUTS + 4 * OP_MAX_OUTS;
const OP_MAX_INS = 128;
const OP_INTS = OP_INS + 4 * OP_MAX_INS;
const OP_MAX_INTS = 1536;
const OP_REALS = OP_INTS + 4 * OP_MAX_INTS;
const OP_MAX_REALS = (SCRATCH_BYTES - OP_REALS) / 8;
const NO_PARAMS: readonly number[] = [];

/** The Backend over the core compiled to WebAssembly. */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /**
   * The exports core calls go through: `real`, or `gated` while the async-eval thread runs a
   * session (each gated function first waits for that session to end, since the core is not
   * re-entrant). Swapping the object keeps the idle path free of any check.
   */
  private x: CoreExports;
  private readonly real: CoreExports;
  private gated: CoreExports | null = null;
  /** The async-eval thread (threads build), the session it runs (0: none) and finished sessions' errors. */
  private evalThread: EvalThread | null = null;
  private threadSession = 0;
  private readonly threadResults = new Map<number, Error | null>();
  private readonly hostFunctions: HostFunctionTable;
  private readonly scratch: number;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private u32!: Uint32Array;
  private f64!: Float64Array;
  private readonly decoder = new TextDecoder();
  /** The worker pool (threads build), or why there is none. */
  private pool: WasmThreadPool | null = null;
  private singleReason = 'the single-thread module was requested';

  /** Use loadWasmBackend(); this wires an already instantiated module. */
  constructor(exports: CoreExports, table: HostFunctionTable) {
    this.x = exports;
    this.real = exports;
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
    // slice(): TextDecoder rejects views of a shared memory (threads build) in browsers.
    return this.decoder.decode(this.u8.slice(ptr, end));
  }

  // ---- ops ----------------------------------------------------------------------------

  /** Op ids by name, looked up in the core once per name. */
  private readonly opIds = new Map<string, number>();

  private opId(name: string): number {
    let id = this.opIds.get(name);
    if (id === undefined) {
      const bytes = new TextEncoder().encode(name + '\0');
      if (bytes.length > 4 * LIST_CAPACITY) throw new Error(`[mlxjs-wasm] Op name too long: ${name}`);
      this.u8.set(bytes, this.scratch + LIST);
      id = this.x.mlxc_op_id(this.scratch + LIST);
      if (id < 0) throw new Error(`[${name}] This op does not exist in the core module.`);
      this.opIds.set(name, id);
    }
    return id;
  }

  /** Writes an op's arguments into the scratch area and runs it; returns the output count. */
  private runOp(name: string, inputs: readonly Handle[], ints: readonly number[], reals: readonly number[]): number {
    if (inputs.length > OP_MAX_INS || ints.length > OP_MAX_INTS || reals.length > OP_MAX_REALS) {
      throw new Error(`[${name}] Too many arguments for one call (${inputs.length} arrays, ${ints.length} integers).`);
    }
    const id = this.opId(name);
    this.hostFunctions.pendingError = undefined;
    const base = this.scratch;
    const u32 = this.u32;
    const ins = (base + OP_INS) >>> 2;
    for (let i = 0; i < inputs.length; i++) u32[ins + i] = inputs[i]!;
    const i32 = this.i32;
    const intBase = (base + OP_INTS) >>> 2;
    for (let i = 0; i < ints.length; i++) i32[intBase + i] = ints[i]!;
    const f64 = this.f64;
    const realBase = (base + OP_REALS) >>> 3;
    for (let i = 0; i < reals.length; i++) f64[realBase + i] = reals[i]!;
    this.check(
      this.x.mlxc_op(base + OP_OUTS, OP_MAX_OUTS, base + OP_NOUT, id, base + OP_INS, inputs.length,
        base + OP_INTS, ints.length, base + OP_REALS, reals.length),
    );
    return this.i32[(base + OP_NOUT) >>> 2]!;
  }

  op(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle[] {
    const n = this.runOp(name, inputs, ints, reals);
    const outs = (this.scratch + OP_OUTS) >>> 2;
    return Array.from(this.u32.subarray(outs, outs + n));
  }

  op1(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle {
    const n = this.runOp(name, inputs, ints, reals);
    const first = this.u32[(this.scratch + OP_OUTS) >>> 2]!;
    if (n !== 1) {
      const outs = (this.scratch + OP_OUTS) >>> 2;
      for (let i = 0; i < n; i++) this.x.mlxc_array_free(this.u32[outs + i]!);
      throw new Error(`[${name}] Returned ${n} outputs where one was expected.`);
    }
    return first;
  }

  opSchema(name: string): string {
    return this.cString(this.x.mlxc_op_schema(this.opId(name)));
  }

  opNames(): string[] {
    const names: string[] = [];
    const n = this.x.mlxc_op_count();
    for (let i = 0; i < n; i++) names.push(this.cString(this.x.mlxc_op_name(i)));
    return names;
  }

  // ---- transforms ---------------------------------------------------------------------

  /** Runs a transform entry point that takes vectors and fills one or two out-vectors. */
  private transform(
    call: (out1: number, out2: number, vecs: number[]) => number,
    lists: readonly (readonly Handle[])[],
    outVectors: 1 | 2 = 2,
  ): [Handle[], Handle[]] {
    this.hostFunctions.pendingError = undefined;
    const vecs: number[] = [];
    try {
      for (const l of lists) vecs.push(this.newVector(l));
      // Two out-slots at the start of the list area; the call may run host code that uses
      // the scratch area, but hostCall restores it before returning.
      const out1 = this.scratch + LIST;
      const out2 = this.scratch + LIST + 4;
      this.check(call(out1, out2, vecs));
      const v1 = this.u32[out1 >>> 2]!;
      const v2 = outVectors === 2 ? this.u32[out2 >>> 2]! : 0;
      try {
        return [this.vectorHandles(v1), v2 === 0 ? [] : this.vectorHandles(v2)];
      } finally {
        this.x.mlxc_vector_free(v1);
        if (v2 !== 0) this.x.mlxc_vector_free(v2);
      }
    } finally {
      for (const v of vecs) this.x.mlxc_vector_free(v);
    }
  }

  vjp(fn: Handle, primals: readonly Handle[], cotangents: readonly Handle[]): [Handle[], Handle[]] {
    return this.transform((o1, o2, [p, c]) => this.x.mlxc_vjp(o1, o2, fn, p!, c!), [primals, cotangents]);
  }

  jvp(fn: Handle, primals: readonly Handle[], tangents: readonly Handle[]): [Handle[], Handle[]] {
    return this.transform((o1, o2, [p, t]) => this.x.mlxc_jvp(o1, o2, fn, p!, t!), [primals, tangents]);
  }

  valueAndGrad(fn: Handle, primals: readonly Handle[]): [Handle[], Handle[]] {
    return this.transform((o1, o2, [p]) => this.x.mlxc_value_and_grad(o1, o2, fn, p!), [primals]);
  }

  customFunction(
    fn: Handle,
    vjp: Handle | null,
    jvp: Handle | null,
    vmap: Handle | null,
    args: readonly Handle[],
  ): Handle[] {
    return this.transform(
      (o1, _o2, [a]) => this.x.mlxc_custom_function(o1, fn, vjp ?? 0, jvp ?? 0, vmap ?? 0, a!),
      [args],
      1,
    )[0];
  }

  vmap(fn: Handle, inputs: readonly Handle[], inAxes: readonly number[]): [Handle[], number[]] {
    // Scratch: [LIST] the out-vector slot, then in_axes, then room for the out axes.
    const slot = this.scratch + LIST;
    const axesAt = slot + 8;
    const outAxesAt = axesAt + 4 * inAxes.length;
    const maxOutputs = (SCRATCH_BYTES - (outAxesAt - this.scratch)) >> 2;
    if (maxOutputs < 1) throw new Error(`[vmap] Too many inputs (${inAxes.length}) for one call.`);
    this.hostFunctions.pendingError = undefined;
    const vin = this.newVector(inputs);
    try {
      const base = axesAt >>> 2;
      for (let i = 0; i < inAxes.length; i++) this.i32[base + i] = inAxes[i]!;
      this.check(this.x.mlxc_vmap(slot, outAxesAt, maxOutputs, fn, vin, axesAt, inAxes.length));
      const vout = this.u32[slot >>> 2]!;
      try {
        const outs = this.vectorHandles(vout);
        const first = outAxesAt >>> 2;
        return [outs, Array.from(this.i32.subarray(first, first + outs.length))];
      } finally {
        this.x.mlxc_vector_free(vout);
      }
    } finally {
      this.x.mlxc_vector_free(vin);
    }
  }

  compile(fn: Handle, shapeless: boolean): Handle {
    return this.out(this.x.mlxc_compile(this.outPtr, fn, shapeless ? 1 : 0));
  }

  kernelCount(): number {
    return this.x.mlxc_kernel_count();
  }

  checkpoint(fn: Handle, args: readonly Handle[]): Handle[] {
    return this.transform((o1, _o2, [a]) => this.x.mlxc_checkpoint(o1, fn, a!), [args], 1)[0];
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

  evalBegin(handles: readonly Handle[]): Handle {
    this.hostFunctions.pendingError = undefined;
    if (handles.length > LIST_CAPACITY - 2) {
      throw new Error(`[async_eval] Too many arrays (${handles.length}) for one call.`);
    }
    const session = this.out(this.x.mlxc_eval_begin(this.outPtr, this.list(handles), handles.length));
    if (this.evalThread !== null) {
      // (A session still running there was settled by the gated mlxc_eval_begin above.)
      this.evalThread.run(session);
      this.threadSession = session;
      this.x = this.gatedExports();
    }
    return session;
  }

  evalStep(session: Handle, budget: number): boolean {
    if (session === this.threadSession) {
      if (!this.evalThread!.finished()) return false;
      this.settleThread();
    }
    if (this.threadResults.has(session)) {
      const error = this.threadResults.get(session)!;
      this.threadResults.delete(session);
      if (error !== null) throw error;
      return true;
    }
    this.hostFunctions.pendingError = undefined;
    this.check(this.x.mlxc_eval_step(session, budget, this.outPtr));
    return this.i32[this.outPtr >>> 2] === 1;
  }

  evalEnd(session: Handle): void {
    if (session === this.threadSession) this.settleThread();
    this.threadResults.delete(session);
    this.x.mlxc_eval_free(session);
  }

  /** Waits for the async-eval thread's session, records its outcome and reopens the core. */
  private settleThread(): void {
    const status = this.evalThread!.settle();
    this.x = this.real;
    this.refreshViews(); // that thread may have grown the memory
    const error = status === 0
      ? null
      : status === EVAL_TRAPPED
        ? new Error('[async_eval] The core trapped on the async-eval thread; the module may be unusable.')
        : new Error(this.cString(this.x.mlxc_last_error()) || '[async_eval] The evaluation failed without a message.');
    this.threadResults.set(this.threadSession, error);
    this.threadSession = 0;
  }

  private gatedExports(): CoreExports {
    if (this.gated === null) {
      const gated: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(this.real)) {
        gated[name] = typeof value !== 'function' ? value : (...args: unknown[]) => {
          if (this.threadSession !== 0) this.settleThread();
          return (value as (...a: unknown[]) => unknown)(...args);
        };
      }
      this.gated = gated as unknown as CoreExports;
    }
    return this.gated;
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

  // ---- threads ------------------------------------------------------------------------

  /** Wires the worker pool of the threads build (loadWasmBackend does this). */
  attachThreads(pool: WasmThreadPool | null, reason: string): void {
    this.pool = pool;
    this.singleReason = reason;
  }

  /** Starts the async-eval thread (threads build); without it asyncEval steps on this thread. */
  async startEvalThread(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void> {
    const x = this.x as unknown as ThreadExports;
    const at = this.scratch + LIST;
    if (x.mlxc_eval_thread_prepare(at) !== 0) {
      this.evalThreadFailure = 'its stack could not be allocated';
      return;
    }
    this.evalThread = await EvalThread.start(module, memory, this.u32[at >>> 2]!,
      (ids) => ids.forEach((id) => this.hostFunctions.release(id)),
      (message) => {
        this.evalThreadFailure = message;
      });
  }

  /** Why asyncEval has no thread of its own ('' when it has). */
  private evalThreadFailure = '';

  /** mlxc_worker_prepare(id) through the scratch area: [stack top, stack limit]. */
  prepareWorker(id: number): [number, number] {
    const x = this.x as unknown as ThreadExports;
    const at = this.scratch + LIST;
    if (x.mlxc_worker_prepare(id, at) !== 0) throw new Error(`[setNumThreads] Cannot prepare worker ${id}.`);
    return [this.u32[at >>> 2]!, this.u32[(at >>> 2) + 1]!];
  }

  setNumThreads(n: number): Promise<void> {
    return this.pool === null ? Promise.resolve() : this.pool.setThreads(n);
  }

  threadingInfo(): ThreadingInfo {
    const pool = this.pool === null ? { mode: 'single' as const, threads: 1, workers: 0, reason: this.singleReason } : this.pool.info();
    const asyncEval = this.evalThread !== null
      ? { asyncEval: 'thread' as const, asyncEvalReason: 'a worker thread on the shared memory' }
      : {
          asyncEval: 'steps' as const,
          asyncEvalReason: this.pool === null ? 'the single-thread module has no other thread'
            : `its thread failed to start: ${this.evalThreadFailure || 'unknown error'}`,
        };
    return { ...pool, ...asyncEval };
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
      hostFunctions: this.hostFunctions.size,
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
}

/** Options of loadWasmBackend. */
export interface WasmLoadOptions {
  /**
   * Use the threads build when the environment allows it (default true; the environment
   * variable MLXJS_WASM_THREADS=0 also turns it off). `url` set: the single-thread module.
   */
  threads?: boolean;
}

/**
 * Loads the core module as a Backend: the threads build with min(hardware threads, 4)
 * threads when this environment can run it (Node, cross-origin-isolated browsers), else the
 * single-thread module at `url` (default: the file next to this package).
 */
export async function loadWasmBackend(url?: URL, options: WasmLoadOptions = {}): Promise<WasmBackend> {
  let reason = url !== undefined ? 'a module URL was given (single-thread module)' : options.threads === false
    ? 'threads were turned off (threads: false)' : threadsUnsupported();
  if (reason === null) {
    try {
      return await loadThreaded();
    } catch (e) {
      reason = `the threads build failed to load (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  const backend = await loadSingle(url);
  backend.attachThreads(null, reason);
  return backend;
}

async function loadSingle(url?: URL): Promise<WasmBackend> {
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
  checkExports(instance.exports);
  exports._initialize?.();
  backend = new WasmBackend(exports, table);
  return backend;
}

/** The threads build on a shared memory, with its worker pool started. */
async function loadThreaded(): Promise<WasmBackend> {
  const module = await compileCore(defaultWasmMtUrl());
  const memory = newSharedMemory();
  const table = new HostFunctionTable();
  let backend: WasmBackend | null = null;
  let exports: (CoreExports & ThreadExports) | null = null;
  const live = (): CoreExports & ThreadExports => {
    if (exports === null) throw new Error('[mlxjs-wasm] The threads module was used before it was instantiated.');
    return exports;
  };
  const imports = buildImports(module, {
    hostCall: (id, inputs, outputs) => (backend === null ? 1 : backend.hostCall(id, inputs, outputs)),
    hostRelease: (id) => table.release(id),
    memoryGrew: () => backend?.refreshViews(),
    memory: () => memory,
    importedMemory: memory,
    extraEnv: threadImports(memory, live, () => backend?.refreshViews()),
  });
  const instance = await WebAssembly.instantiate(module, imports);
  // The memory is imported, not exported: the backend finds it among the exports all the same.
  exports = { ...(instance.exports as unknown as CoreExports & ThreadExports), memory };
  checkExports(exports as unknown as WebAssembly.Exports);
  exports.__wasm_call_ctors();
  backend = new WasmBackend(exports, table);
  const pool = new WasmThreadPool(module, memory, exports, (id) => backend!.prepareWorker(id));
  backend.attachThreads(pool, '');
  await pool.setThreads(Math.max(1, Math.min(hardwareThreads(), DEFAULT_MAX_THREADS)));
  await backend.startEvalThread(module, memory);
  return backend;
}

function checkExports(x: WebAssembly.Exports): void {
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in x));
  if (missing.length > 0) {
    throw new Error(`[mlxjs-wasm] The core module lacks the exports ${missing.join(', ')}; rebuild it.`);
  }
}

/** Whether this environment can run the wasm backend at all. */
export function wasmAvailable(): boolean | string {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function'
    ? true
    : 'WebAssembly is not supported in this environment';
}

import type { Backend, Handle, HostFunction, MemoryStats } from '../backend.js';
import { dtypeFromCode } from '../dtype.js';
import type { HostFunctionTable } from '../host-functions.js';
import type { DtypeCode } from '../opcodes.js';
import { type CoreExports, SCRATCH_BYTES } from './exports.js';

/**
 * Integer scalars of 8 to 32 bits wrap to their dtype here, as C++'s integer conversion does in
 * MLX (uint8 and -3 is 253), instead of reaching the core as an out-of-range double: that
 * conversion is undefined in C++ and differed per backend (wasm saturated, x86 wrapped). JS
 * typed arrays convert with the same modulo rule.
 */
const WRAP: Partial<Record<number, Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array>> = {
  1: new Uint8Array(1),
  2: new Uint16Array(1),
  3: new Uint32Array(1),
  5: new Int8Array(1),
  6: new Int16Array(1),
  7: new Int32Array(1),
};
function wrapToInteger(value: number, dtype: number): number {
  const slot = WRAP[dtype];
  if (slot === undefined || !Number.isFinite(value)) return value;
  slot[0] = value;
  return slot[0]!;
}

/*
 * Scratch layout (MLXC_SCRATCH_BYTES, 16-byte aligned). Handle slots are `ptrSize` bytes (4
 * in wasm, 8 natively); regions are sized for 8-byte slots so the layout is one for both.
 *   [0, 8)   OUT: a call's out-parameter (op: the output count)
 *   [8, 16)  OUT2: a second out-parameter (transforms; op: the spill vector)
 *   [16, ..) LIST: one list (shape, axes, handles, memory stats, an op name), or op's layout:
 *            output handles, input handles, int32 parameters, double parameters.
 */
const OUT = 0;
const OUT2 = 8;
const LIST = 16;
const LIST_BYTES = SCRATCH_BYTES - LIST;
const OP_MAX_OUTS = 128;
const OP_OUTS = LIST;
const OP_MAX_INS = 128;
const OP_INS = OP_OUTS + 8 * OP_MAX_OUTS;
const OP_MAX_INTS = 1536;
const OP_INTS = OP_INS + 8 * OP_MAX_INS;
const OP_REALS = OP_INTS + 4 * OP_MAX_INTS;
const OP_MAX_REALS = (SCRATCH_BYTES - OP_REALS) / 8;
const NO_PARAMS: readonly number[] = [];
const TWO_32 = 4294967296;

/** A size_t or pointer result as a non-negative number (wasm returns them as signed i32). */
const unsigned = (v: number): number => (v < 0 ? v + TWO_32 : v);

/** Where the scratch area is and how wide a handle is. */
export interface Transport {
  /** The memory the scratch area lives in (wasm: linear memory; native: the area itself). */
  buffer(): ArrayBufferLike;
  /** The scratch area's address in that memory (native: 0). */
  scratch: number;
  /** Bytes per handle: 4 (wasm32) or 8 (64-bit native). */
  ptrSize: 4 | 8;
}

/**
 * The one client of the C ABI: marshalling through the scratch area, ops, transforms,
 * vectors, errors and the host-function table, over any CoreExports. A backend subclasses
 * it with only what is its own: moving array bytes in and out, evaluation off the JS
 * thread, threads and devices.
 */
export abstract class CoreClient implements Backend {
  abstract readonly name: string;
  /** The functions core calls go through (a backend may swap them, see WasmBackend). */
  protected x: CoreExports;
  protected readonly hostFunctions: HostFunctionTable;
  protected readonly scratch: number;
  private readonly wide: boolean;
  private readonly transport: Transport;
  protected u8!: Uint8Array;
  protected i32!: Int32Array;
  protected u32!: Uint32Array;
  protected f64!: Float64Array;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();
  /** Op ids by name, looked up in the core once per name. */
  private readonly opIds = new Map<string, number>();

  constructor(exports: CoreExports, table: HostFunctionTable, transport: Transport) {
    this.x = exports;
    this.hostFunctions = table;
    this.transport = transport;
    this.scratch = transport.scratch;
    this.wide = transport.ptrSize === 8;
    this.refreshViews();
  }

  /** Recreates the typed views (a wasm memory's buffer is replaced when it grows). */
  refreshViews(): void {
    const buf = this.transport.buffer();
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /** Copies `bytes` into the elements of `h`, a new evaluated row-contiguous array. */
  protected abstract writeData(h: Handle, bytes: Uint8Array): void;
  /** Copies `bytes` into the elements of evaluated array `h` from byte `byteOffset` on. */
  protected abstract writeDataAt(h: Handle, byteOffset: number, bytes: Uint8Array): void;
  /** A copy of the `nbytes` bytes of `c`, an evaluated row-contiguous array. */
  protected abstract readData(c: Handle, nbytes: number): Uint8Array;

  // ---- scratch ------------------------------------------------------------------------

  /** The handle in the slot at `addr`. */
  protected handleAt(addr: number): Handle {
    const i = addr >>> 2;
    return this.wide ? this.u32[i]! + this.u32[i + 1]! * TWO_32 : this.u32[i]!;
  }

  private setHandle(addr: number, h: Handle): void {
    const i = addr >>> 2;
    this.u32[i] = h;
    if (this.wide) this.u32[i + 1] = h / TWO_32;
  }

  /** The most handles one list in the scratch area holds. */
  private get listCapacity(): number {
    return LIST_BYTES / this.transport.ptrSize;
  }

  /** Writes handles to the list area; returns its address. */
  private handleList(hs: readonly Handle[]): number {
    if (hs.length > this.listCapacity) {
      throw new Error(`[mlxjs] A list of ${hs.length} arrays exceeds the scratch area (${this.listCapacity}).`);
    }
    const p = this.transport.ptrSize;
    for (let i = 0; i < hs.length; i++) this.setHandle(this.scratch + LIST + p * i, hs[i]!);
    return this.scratch + LIST;
  }

  /** Writes an int32 list to the list area; returns its address. */
  private intList(values: readonly number[]): number {
    if (values.length > LIST_BYTES / 4) {
      throw new Error(`[mlxjs] A list of ${values.length} values exceeds the scratch area (${LIST_BYTES / 4}).`);
    }
    const base = (this.scratch + LIST) >>> 2;
    for (let i = 0; i < values.length; i++) this.i32[base + i] = values[i]!;
    return this.scratch + LIST;
  }

  /** A C string result: an address in wasm memory, or already a string (native). */
  protected text(v: number | string): string {
    if (typeof v === 'string') return v;
    let ptr = unsigned(v);
    if (ptr === 0) return '';
    let end = ptr;
    while (this.u8[end] !== 0) end++;
    // slice(): TextDecoder rejects views of a shared memory (wasm threads build) in browsers.
    return this.decoder.decode(this.u8.slice(ptr, end));
  }

  /** Throws the core's error (or the host function's own Error) for a failing status. */
  protected check(status: number): void {
    if (status === 0) return;
    const hostError = this.hostFunctions.takePendingError();
    if (hostError !== undefined) {
      this.x.mlxc_clear_error();
      throw hostError;
    }
    throw new Error(this.text(this.x.mlxc_last_error()) || `[mlxjs-${this.name}] A core call failed without a message.`);
  }

  /** Reads the out-parameter slot after a successful call. */
  protected out(status: number): Handle {
    this.check(status);
    return this.handleAt(this.scratch + OUT);
  }

  protected get outPtr(): number {
    return this.scratch + OUT;
  }

  // ---- ops ----------------------------------------------------------------------------

  private opId(name: string): number {
    let id = this.opIds.get(name);
    if (id === undefined) {
      const bytes = this.encoder.encode(name + '\0');
      if (bytes.length > LIST_BYTES) throw new Error(`[mlxjs] Op name too long: ${name}`);
      this.u8.set(bytes, this.scratch + LIST);
      id = this.x.mlxc_op_id(this.scratch + LIST);
      if (id < 0) throw new Error(`[${name}] This op does not exist in the core.`);
      this.opIds.set(name, id);
    }
    return id;
  }

  /** Writes the parameters of an op call to their places. */
  private params(name: string, ints: readonly number[], reals: readonly number[]): void {
    if (ints.length > OP_MAX_INTS || reals.length > OP_MAX_REALS) {
      throw new Error(`[${name}] Too many parameters for one call (${ints.length} integers, ${reals.length} reals).`);
    }
    const i32 = this.i32;
    const intBase = (this.scratch + OP_INTS) >>> 2;
    for (let i = 0; i < ints.length; i++) i32[intBase + i] = ints[i]!;
    const f64 = this.f64;
    const realBase = (this.scratch + OP_REALS) >>> 3;
    for (let i = 0; i < reals.length; i++) f64[realBase + i] = reals[i]!;
  }

  /** Runs an op with its inputs in the scratch area; returns the output count. */
  private runOp(name: string, inputs: readonly Handle[], ints: readonly number[], reals: readonly number[]): number {
    const id = this.opId(name);
    this.params(name, ints, reals);
    this.hostFunctions.pendingError = undefined;
    const base = this.scratch;
    const p = this.transport.ptrSize;
    for (let i = 0; i < inputs.length; i++) this.setHandle(base + OP_INS + p * i, inputs[i]!);
    this.check(
      this.x.mlxc_op(base + OP_OUTS, OP_MAX_OUTS, base + OUT, base + OUT2, id, base + OP_INS, inputs.length,
        base + OP_INTS, ints.length, base + OP_REALS, reals.length),
    );
    return this.i32[(base + OUT) >>> 2]!;
  }

  /** The outputs of the op call that just ran: in the slots, or in the spill vector. */
  private outputs(n: number): Handle[] {
    if (n > OP_MAX_OUTS) return this.takeVector(this.handleAt(this.scratch + OUT2));
    const outs: Handle[] = new Array<Handle>(n);
    for (let i = 0; i < n; i++) outs[i] = this.handleAt(this.scratch + OP_OUTS + this.transport.ptrSize * i);
    return outs;
  }

  /** An op with more inputs than the scratch area has slots: through vectors. */
  private opVector(name: string, inputs: readonly Handle[], ints: readonly number[], reals: readonly number[]): Handle[] {
    const id = this.opId(name);
    const vin = this.newVector(inputs);
    try {
      this.params(name, ints, reals);
      this.hostFunctions.pendingError = undefined;
      const s = this.scratch;
      return this.takeVector(this.out(this.x.mlxc_op_vector(s + OUT, id, vin, s + OP_INTS, ints.length, s + OP_REALS, reals.length)));
    } finally {
      this.x.mlxc_vector_free(vin);
    }
  }

  op(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle[] {
    if (inputs.length > OP_MAX_INS) return this.opVector(name, inputs, ints, reals);
    return this.outputs(this.runOp(name, inputs, ints, reals));
  }

  op1(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle {
    let outs: Handle[];
    if (inputs.length <= OP_MAX_INS) {
      const n = this.runOp(name, inputs, ints, reals);
      if (n === 1) return this.handleAt(this.scratch + OP_OUTS);
      outs = this.outputs(n);
    } else {
      outs = this.opVector(name, inputs, ints, reals);
      if (outs.length === 1) return outs[0]!;
    }
    for (const h of outs) this.x.mlxc_array_free(h);
    throw new Error(`[${name}] Returned ${outs.length} outputs where one was expected.`);
  }

  opNames(): string[] {
    const names: string[] = [];
    const n = this.x.mlxc_op_count();
    for (let i = 0; i < n; i++) names.push(this.text(this.x.mlxc_op_name(i)));
    return names;
  }

  opSchema(name: string): string {
    return this.text(this.x.mlxc_op_schema(this.opId(name)));
  }

  // ---- vectors ------------------------------------------------------------------------

  protected newVector(handles: readonly Handle[]): Handle {
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
  protected vectorHandles(v: Handle): Handle[] {
    const n = unsigned(this.x.mlxc_vector_size(v));
    const out: Handle[] = [];
    try {
      for (let i = 0; i < n; i++) out.push(this.out(this.x.mlxc_vector_get(this.outPtr, v, i)));
    } catch (e) {
      for (const h of out) this.x.mlxc_array_free(h);
      throw e;
    }
    return out;
  }

  /** vectorHandles, then frees the vector. */
  private takeVector(v: Handle): Handle[] {
    try {
      return this.vectorHandles(v);
    } finally {
      this.x.mlxc_vector_free(v);
    }
  }

  // ---- transforms ---------------------------------------------------------------------

  /** Runs a transform entry point that takes vectors and fills one or two out-vectors. */
  private transform(
    call: (out1: number, out2: number, vecs: Handle[]) => number,
    lists: readonly (readonly Handle[])[],
    outVectors: 1 | 2 = 2,
  ): [Handle[], Handle[]] {
    this.hostFunctions.pendingError = undefined;
    const vecs: Handle[] = [];
    try {
      for (const l of lists) vecs.push(this.newVector(l));
      // The call may run host code that uses the scratch area; hostCall restores it.
      this.check(call(this.scratch + OUT, this.scratch + OUT2, vecs));
      const v1 = this.handleAt(this.scratch + OUT);
      const v2 = outVectors === 2 ? this.handleAt(this.scratch + OUT2) : 0;
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

  customFunction(fn: Handle, vjp: Handle | null, jvp: Handle | null, vmap: Handle | null, args: readonly Handle[]): Handle[] {
    return this.transform(
      (o1, _o2, [a]) => this.x.mlxc_custom_function(o1, fn, vjp ?? 0, jvp ?? 0, vmap ?? 0, a!),
      [args],
      1,
    )[0];
  }

  vmap(fn: Handle, inputs: readonly Handle[], inAxes: readonly number[]): [Handle[], number[]] {
    // Scratch: OUT the out-vector slot; the list area holds in_axes, then room for the out axes.
    const axesAt = this.scratch + LIST;
    const outAxesAt = axesAt + 4 * inAxes.length;
    const maxOutputs = (SCRATCH_BYTES - (outAxesAt - this.scratch)) >> 2;
    if (maxOutputs < 1) throw new Error(`[vmap] Too many inputs (${inAxes.length}) for one call.`);
    this.hostFunctions.pendingError = undefined;
    const vin = this.newVector(inputs);
    try {
      this.intList(inAxes);
      const vout = this.out(this.x.mlxc_vmap(this.outPtr, outAxesAt, maxOutputs, fn, vin, axesAt, inAxes.length));
      const outs = this.takeVector(vout);
      const first = outAxesAt >>> 2;
      return [outs, Array.from(this.i32.subarray(first, first + outs.length))];
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
    const h = this.out(this.x.mlxc_array_new_empty(this.outPtr, this.intList(shape), shape.length, dtype));
    if (bytes.byteLength > 0) {
      try {
        this.writeData(h, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (e) {
        this.x.mlxc_array_free(h);
        throw e;
      }
    }
    return h;
  }

  empty(shape: readonly number[], dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_array_new_empty(this.outPtr, this.intList(shape), shape.length, dtype));
  }

  writeBytes(h: Handle, byteOffset: number, bytes: Uint8Array): void {
    const nbytes = unsigned(this.x.mlxc_array_size(h)) * dtypeFromCode(this.x.mlxc_array_dtype(h)).size;
    if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset + bytes.length > nbytes) {
      throw new Error(`[mlxjs] writeBytes: ${bytes.length} bytes at offset ${byteOffset} do not fit an array of ${nbytes} bytes.`);
    }
    if (bytes.length > 0) this.writeDataAt(h, byteOffset, bytes);
  }

  scalar(value: number, dtype: DtypeCode): Handle {
    return this.out(this.x.mlxc_array_new_scalar(this.outPtr, wrapToInteger(value, dtype), dtype));
  }

  read(h: Handle): Uint8Array {
    this.hostFunctions.pendingError = undefined;
    const c = this.out(this.x.mlxc_array_contiguous(this.outPtr, h));
    try {
      return this.readData(c, unsigned(this.x.mlxc_array_size(c)) * dtypeFromCode(this.x.mlxc_array_dtype(c)).size);
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
    const at = this.scratch + LIST;
    const ndim = this.x.mlxc_array_shape(at, LIST_BYTES / 4, h);
    if (ndim < 0) throw new Error('[mlxc] Invalid array handle.');
    return Array.from(this.i32.subarray(at >>> 2, (at >>> 2) + ndim));
  }

  dtype(h: Handle): DtypeCode {
    return this.x.mlxc_array_dtype(h) as DtypeCode;
  }

  size(h: Handle): number {
    return unsigned(this.x.mlxc_array_size(h));
  }

  eval(handles: readonly Handle[]): void {
    this.hostFunctions.pendingError = undefined;
    // Evaluating in chunks is equivalent to one call and keeps lists within the scratch area.
    const cap = this.listCapacity;
    for (let i = 0; i < handles.length; i += cap) {
      const chunk = handles.length <= cap ? handles : handles.slice(i, i + cap);
      this.check(this.x.mlxc_eval(this.handleList(chunk), chunk.length));
    }
  }

  /** Stepped evaluation on the calling thread (a backend with a thread of its own overrides these). */
  evalBegin(handles: readonly Handle[]): Handle {
    this.hostFunctions.pendingError = undefined;
    return this.out(this.x.mlxc_eval_begin(this.outPtr, this.handleList(handles), handles.length));
  }

  evalStep(session: Handle, budget: number): boolean {
    this.hostFunctions.pendingError = undefined;
    this.check(this.x.mlxc_eval_step(session, budget, this.outPtr));
    return this.i32[this.outPtr >>> 2] === 1;
  }

  evalEnd(session: Handle): void {
    this.x.mlxc_eval_free(session);
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
      return this.takeVector(this.out(this.x.mlxc_closure_apply(this.outPtr, c, vin)));
    } finally {
      this.x.mlxc_vector_free(vin);
    }
  }

  closureFree(c: Handle): void {
    this.check(this.x.mlxc_closure_free(c));
  }

  /**
   * The core runs host function `id` (mlxc_host_call). This may happen in the middle of
   * another call that still uses the scratch area, so the area is saved and restored.
   */
  hostCall(id: number, inputs: Handle, outputs: Handle): number {
    const saved = this.u8.slice(this.scratch, this.scratch + SCRATCH_BYTES);
    let produced: Handle[] | null = null;
    try {
      produced = this.hostFunctions.call(id, this.vectorHandles(inputs));
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

  /** The core no longer references host function `id` (mlxc_host_release). */
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

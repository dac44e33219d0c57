import type { BinaryOp, DtypeCode, OpFamily, ReduceOp, UnaryOp } from './opcodes.js';

/** An owned reference to a core array (mlxc_array); released with `free`. */
export type Handle = number;

/**
 * A function the core can call back: it receives NEW input handles that it owns (and must
 * free) and returns output handles whose ownership passes to the backend.
 */
export type HostFunction = (inputs: Handle[]) => Handle[];

/** What mlxc_memory_stats reports, in bytes (liveArrays is a count of core arrays). */
export interface MemoryStats {
  activeBytes: number;
  peakBytes: number;
  cacheBytes: number;
  liveArrays: number;
  memoryLimit: number;
}

/**
 * The typed face of the mlxc C ABI (core-cpp/include/mlxc.h). Every backend (wasm, native
 * addon, ...) implements exactly this; everything above it is backend-agnostic.
 *
 * It mirrors the ABI's op families rather than listing every op, so adding an op to a
 * family needs a new code, not a new method. Every method that returns a Handle returns a
 * new one owned by the caller. A failing core call throws `new Error(message)` with the
 * core's message verbatim ("[add] Shapes (2,3) and (4) cannot be broadcast.").
 */
export interface Backend {
  readonly name: string;

  unary(op: UnaryOp, a: Handle): Handle;
  binary(op: BinaryOp, a: Handle, b: Handle): Handle;
  /** `axes === null` reduces over all axes. */
  reduce(op: ReduceOp, a: Handle, axes: readonly number[] | null, keepdims: boolean): Handle;
  reshape(a: Handle, shape: readonly number[]): Handle;
  /** `axes === null` reverses the axes. */
  transpose(a: Handle, axes: readonly number[] | null): Handle;
  broadcastTo(a: Handle, shape: readonly number[]): Handle;
  astype(a: Handle, dtype: DtypeCode): Handle;
  matmul(a: Handle, b: Handle): Handle;
  arange(start: number, stop: number, step: number, dtype: DtypeCode): Handle;
  /** `value` (a handle) broadcast to `shape` as `dtype`. */
  full(shape: readonly number[], value: Handle, dtype: DtypeCode): Handle;

  /** A new evaluated array holding a copy of `bytes` (row-major, `dtype`'s layout). */
  fromData(bytes: ArrayBufferView, shape: readonly number[], dtype: DtypeCode): Handle;
  /** A 0-d array holding `value` converted to `dtype`. */
  scalar(value: number, dtype: DtypeCode): Handle;

  free(h: Handle): void;
  /** A second handle to the same array. */
  retain(h: Handle): Handle;
  shape(h: Handle): number[];
  dtype(h: Handle): DtypeCode;
  size(h: Handle): number;
  /** Evaluates `h` and returns a copy of its elements, row-contiguous, in a fresh buffer. */
  read(h: Handle): Uint8Array;
  eval(handles: readonly Handle[]): void;

  /**
   * Wraps a host function in a core closure. `onRelease` runs when the core drops the last
   * reference to it (the closure handle and any graph node that captured it).
   */
  closureNew(fn: HostFunction, onRelease?: () => void): Handle;
  /** Runs a closure; an Error thrown by the host function is rethrown as the same object. */
  closureApply(c: Handle, inputs: readonly Handle[]): Handle[];
  closureFree(c: Handle): void;

  memoryStats(): MemoryStats;
  setMemoryLimit(bytes: number): void;
  setCacheLimit(bytes: number): void;
  clearCache(): void;
  resetPeakMemory(): void;

  /** The core's name for an op code, or null when the code is out of range. */
  opName(family: OpFamily, code: number): string | null;
}

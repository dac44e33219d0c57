import type { DtypeCode } from './opcodes.js';

/** What `threadingInfo()` reports. */
export interface ThreadingInfo {
  /** 'wasm-threads': wasm workers on shared memory; 'native-threads': the addon's threads; 'single': no pool. */
  mode: 'wasm-threads' | 'native-threads' | 'single';
  /** Threads kernels use (the calling thread included), as set by setNumThreads. */
  threads: number;
  /** Workers running now (threads - 1 once they have all started). */
  workers: number;
  /** Why this mode (e.g. why threads are unavailable). */
  reason: string;
  /**
   * Where asyncEval computes: 'thread' (a thread of its own, so the event loop keeps running
   * even during one long kernel) or 'steps' (on the calling thread, in steps between
   * event-loop turns), with why in `asyncEvalReason`.
   */
  asyncEval: 'thread' | 'steps';
  asyncEvalReason: string;
}

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
  /** Host functions (closures) the core still references: 0 when no graph holds one. */
  hostFunctions: number;
}

/**
 * The typed face of the mlxc C ABI (core-cpp/include/mlxc.h). Every backend (wasm, native
 * addon, ...) implements exactly this; everything above it is backend-agnostic.
 *
 * Ops go through one generic entry point (`op`, by name) rather than a method each, so
 * adding an op to the core never changes this interface. Every method that returns a Handle returns a
 * new one owned by the caller. A failing core call throws `new Error(message)` with the
 * core's message verbatim ("[add] Shapes (2,3) and (4) cannot be broadcast.").
 */
export interface Backend {
  readonly name: string;

  /**
   * Runs the core op `name` (MLX's snake_case name: "add", "sum", "broadcast_to", ...) on
   * `inputs`, with its scalar parameters encoded by its schema (`opSchema`; mlxc_op in
   * mlxc.h) into int32 values `ints` and doubles `reals`. Ops call it through callOp
   * (ops/call.ts), which encodes named arguments from the schema. Returns new handles.
   */
  op(name: string, inputs: readonly Handle[], ints?: readonly number[], reals?: readonly number[]): Handle[];
  /** `op` for the ops with exactly one output (the common, fast path). */
  op1(name: string, inputs: readonly Handle[], ints?: readonly number[], reals?: readonly number[]): Handle;
  /** The names of every op the core has. */
  opNames(): string[];
  /** Op `name`'s parameter schema (mlxc_op_schema: "axes:int[]? keepdims:bool"). */
  opSchema(name: string): string;

  /** Reverse mode over closure `fn`: [outputs, cotangents of the primals]. */
  vjp(fn: Handle, primals: readonly Handle[], cotangents: readonly Handle[]): [Handle[], Handle[]];
  /** Forward mode over closure `fn`: [outputs, tangents of the outputs]. */
  jvp(fn: Handle, primals: readonly Handle[], tangents: readonly Handle[]): [Handle[], Handle[]];
  /** [fn's outputs, gradients of its first (scalar) output with respect to the primals]. */
  valueAndGrad(fn: Handle, primals: readonly Handle[]): [Handle[], Handle[]];
  /**
   * fn(args) with transform rules from closures (null: transform fn itself): `vjp` receives
   * primals ++ cotangents ++ outputs, `jvp` primals ++ tangents, `vmap` the batched args ++
   * an int32 array of their axes (returning outputs ++ an int32 array of theirs). The core
   * keeps the closures alive as long as a graph needs them.
   */
  customFunction(
    fn: Handle,
    vjp: Handle | null,
    jvp: Handle | null,
    vmap: Handle | null,
    args: readonly Handle[],
  ): Handle[];
  /**
   * Runs closure `fn` vectorised along `inAxes` (one per input, -1: not mapped): returns its
   * outputs and where each output's batch axis is (-1: not batched).
   */
  vmap(fn: Handle, inputs: readonly Handle[], inAxes: readonly number[]): [Handle[], number[]];
  /** A closure computing closure `fn` compiled (see mlxc_compile); apply it with closureApply. */
  compile(fn: Handle, shapeless: boolean): Handle;
  /** Primitives evaluated so far (a diagnostic: fused chains count once). */
  kernelCount(): number;
  /** fn(args), recomputing fn's intermediates in the backward pass instead of keeping them. */
  checkpoint(fn: Handle, args: readonly Handle[]): Handle[];

  /** A new evaluated array holding a copy of `bytes` (row-major, `dtype`'s layout). */
  fromData(bytes: ArrayBufferView, shape: readonly number[], dtype: DtypeCode): Handle;
  /**
   * A new evaluated array of `shape` and `dtype` whose bytes are not initialised yet
   * (mlxc_array_new_empty): mx.load fills it with `writeBytes` (or through `bytesView`)
   * straight from a file, so a large tensor is never held whole in JS memory.
   */
  empty(shape: readonly number[], dtype: DtypeCode): Handle;
  /** Copies `bytes` into the elements of evaluated array `h` from byte `byteOffset` on (it must fit). */
  writeBytes(h: Handle, byteOffset: number, bytes: Uint8Array): void;
  /**
   * A writable view of the bytes of evaluated array `h` in the backend's own memory, valid
   * only until the next backend call (wasm: the heap may grow and move). Optional: a
   * backend whose memory JS cannot see (native) omits it and `writeBytes` is used.
   */
  bytesView?(h: Handle): Uint8Array;
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
  /** Starts an incremental evaluation of `handles` (it holds its own references). */
  evalBegin(handles: readonly Handle[]): Handle;
  /** Evaluates at most `budget` more nodes; true when everything is computed. */
  evalStep(session: Handle, budget: number): boolean;
  evalEnd(session: Handle): void;

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

  /**
   * Threads the kernels use, the calling thread included (validated by the caller: an
   * integer from 1 to 64). Resolves once the workers run. Optional: without it, one thread.
   */
  setNumThreads?(n: number): Promise<void> | void;
  /** The mode, thread count and running workers. Optional: without it, 'single'. */
  threadingInfo?(): ThreadingInfo;
  /**
   * Called by the registry each time it makes this backend the current one (before any op
   * runs on it): where a backend sharing its core with another one selects its device.
   */
  activate?(): void;
}

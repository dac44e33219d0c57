import {
  CoreClient,
  dtypeFromCode,
  type Handle,
  HostFunctionTable,
  type ThreadingInfo,
} from '@mlxjs/core';
import { REQUIRED_EXPORTS, type WasmExports } from './exports.js';
import { EVAL_TRAPPED, EvalThread } from './eval-thread.js';
import { buildImports } from './imports.js';
import { compileCore, defaultWasmMtUrl } from './load.js';
import {
  DEFAULT_MAX_THREADS, type ThreadExports, WasmThreadPool, hardwareThreads, newSharedMemory, threadImports,
  threadsUnsupported,
} from './threads.js';

/** Where out2 results (two uint32) go: CoreClient's 8-byte out slot at the start of the scratch area. */
const SCRATCH_OUT = 0;

/**
 * The Backend over the core compiled to WebAssembly: the shared CoreClient over the
 * module's exports, plus what only wasm has: array bytes copied straight in linear memory,
 * the worker pool and the async-eval thread of the threads build.
 */
export class WasmBackend extends CoreClient {
  readonly name = 'wasm';
  /**
   * The exports core calls go through (CoreClient's `x`): `real`, or `gated` while the
   * async-eval thread runs a session (each gated function first waits for that session to
   * end, since the core is not re-entrant). Swapping the object keeps the idle path free of
   * any check.
   */
  private readonly real: WasmExports;
  private gated: WasmExports | null = null;
  /** The async-eval thread (threads build), the session it runs (0: none) and finished sessions' errors. */
  private evalThread: EvalThread | null = null;
  private threadSession = 0;
  private readonly threadResults = new Map<number, Error | null>();
  /** The worker pool (threads build), or why there is none. */
  private pool: WasmThreadPool | null = null;
  private singleReason = 'the single-thread module was requested';

  /** Use loadWasmBackend(); this wires an already instantiated module. */
  constructor(exports: WasmExports, table: HostFunctionTable) {
    super(exports, table, { buffer: () => exports.memory.buffer, scratch: exports.mlxc_scratch() >>> 0, ptrSize: 4 });
    this.real = exports;
  }

  protected writeData(h: Handle, bytes: Uint8Array): void {
    const ptr = this.real.mlxc_array_data(h) >>> 0; // may grow memory: views refresh in the hook
    this.u8.set(bytes, ptr);
  }

  protected writeDataAt(h: Handle, byteOffset: number, bytes: Uint8Array): void {
    const ptr = this.real.mlxc_array_data(h) >>> 0;
    this.u8.set(bytes, ptr + byteOffset);
  }

  /** The array's bytes in linear memory; valid until the next call (memory may grow and move). */
  bytesView(h: Handle): Uint8Array {
    const nbytes = (this.real.mlxc_array_size(h) >>> 0) * dtypeFromCode(this.real.mlxc_array_dtype(h)).size;
    const ptr = this.real.mlxc_array_data(h) >>> 0; // may grow memory: views refresh in the hook
    return this.u8.subarray(ptr, ptr + nbytes);
  }

  protected readData(c: Handle, nbytes: number): Uint8Array {
    const ptr = this.real.mlxc_array_data(c) >>> 0;
    return this.u8.slice(ptr, ptr + nbytes); // slice copies into a fresh, aligned buffer
  }

  // ---- asyncEval ----------------------------------------------------------------------

  override evalBegin(handles: readonly Handle[]): Handle {
    const session = super.evalBegin(handles);
    if (this.evalThread !== null) {
      // (A session still running there was settled by the gated mlxc_eval_begin above.)
      this.evalThread.run(session);
      this.threadSession = session;
      this.x = this.gatedExports();
    }
    return session;
  }

  override evalStep(session: Handle, budget: number): boolean {
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
    return super.evalStep(session, budget);
  }

  override evalEnd(session: Handle): void {
    if (session === this.threadSession) this.settleThread();
    this.threadResults.delete(session);
    super.evalEnd(session);
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
        : new Error(this.text(this.x.mlxc_last_error()) || '[async_eval] The evaluation failed without a message.');
    this.threadResults.set(this.threadSession, error);
    this.threadSession = 0;
  }

  private gatedExports(): WasmExports {
    if (this.gated === null) {
      const gated: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(this.real)) {
        gated[name] = typeof value !== 'function' ? value : (...args: unknown[]) => {
          if (this.threadSession !== 0) this.settleThread();
          return (value as (...a: unknown[]) => unknown)(...args);
        };
      }
      this.gated = gated as unknown as WasmExports;
    }
    return this.gated;
  }

  // ---- threads ------------------------------------------------------------------------

  /** Wires the worker pool of the threads build (loadWasmBackend does this). */
  attachThreads(pool: WasmThreadPool | null, reason: string): void {
    this.pool = pool;
    this.singleReason = reason;
  }

  /** Starts the async-eval thread (threads build); without it asyncEval steps on this thread. */
  async startEvalThread(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void> {
    const x = this.real as unknown as ThreadExports;
    const at = this.scratch + SCRATCH_OUT;
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
    const x = this.real as unknown as ThreadExports;
    const at = this.scratch + SCRATCH_OUT;
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
  let exports: WasmExports | null = null;
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
  exports = instance.exports as unknown as WasmExports;
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
  let exports: (WasmExports & ThreadExports) | null = null;
  const live = (): WasmExports & ThreadExports => {
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
  exports = { ...(instance.exports as unknown as WasmExports & ThreadExports), memory };
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

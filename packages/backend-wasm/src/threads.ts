/**
 * The wasm thread pool, main-thread side. The threads build of the core
 * (mlxjs-core-mt.wasm: -pthread, imports a shared memory) is instantiated here on a
 * `WebAssembly.Memory({ shared: true })`; each worker (worker.js) instantiates the same
 * module on the same memory and runs mlxc_worker_main, which waits (memory.atomic.wait32)
 * for chunks of kernels. The main thread takes part in every parallel region and
 * spin-waits for it to finish (a browser's main thread may not block). Workers are
 * worker_threads in Node (unref'd: they never keep a process alive) and module Workers in
 * cross-origin-isolated browsers; elsewhere the single-thread module is used.
 *
 * Emscripten 3.1.6 has no STANDALONE_WASM with pthreads, so the threads build is linked
 * as a JS+wasm build whose JS glue is discarded; its extra imports are provided below:
 * memory growth (emscripten_resize_heap), the main thread's set-up during static
 * constructors (__emscripten_init_main_thread_js) and a clock.
 */
import type { ThreadingInfo } from '@mlxjs/core';
import type { ImportFn } from './imports.js';
import { WasmExit } from './imports.js';

/** The threads build's memory limits (INITIAL_MEMORY, MAXIMUM_MEMORY in wasm/CMakeLists.txt), in 64 KiB pages. */
const INITIAL_PAGES = 512;
const MAX_PAGES = 65536;
const PAGE = 65536;

/** Default thread count: min(hardware threads, 4). */
export const DEFAULT_MAX_THREADS = 4;

type GetBuiltin = (id: string) => unknown;
const nodeProcess = (): { getBuiltinModule?: GetBuiltin; env?: Record<string, string | undefined>; versions?: { node?: string } } | undefined =>
  (globalThis as { process?: { getBuiltinModule?: GetBuiltin; env?: Record<string, string | undefined>; versions?: { node?: string } } }).process;
const isNode = (): boolean => typeof nodeProcess()?.versions?.node === 'string';

interface NodeWorker {
  postMessage(m: unknown): void;
  on(event: string, fn: (v: unknown) => void): void;
  unref(): void;
}
type NodeWorkerCtor = new (url: URL, options?: { execArgv: string[] }) => NodeWorker;

/** Null when this environment can run wasm threads, else why not. */
export function threadsUnsupported(): string | null {
  if (nodeProcess()?.env?.['MLXJS_WASM_THREADS'] === '0') return 'turned off by MLXJS_WASM_THREADS=0';
  if (typeof SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer is unavailable (a browser page needs cross-origin isolation: COOP/COEP headers)';
  }
  if (isNode()) {
    if (typeof nodeProcess()?.getBuiltinModule !== 'function') return 'wasm threads need Node.js >= 20.16 (process.getBuiltinModule)';
    return null;
  }
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof Worker !== 'function') return 'Web Workers are unavailable here';
  return null;
}

/** Hardware threads of this machine (1 when unknown). */
export function hardwareThreads(): number {
  if (isNode()) {
    const os = nodeProcess()!.getBuiltinModule!('node:os') as { availableParallelism?: () => number; cpus(): unknown[] };
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

export function newSharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
}

/** The exports the threads build adds to the C ABI. */
export interface ThreadExports {
  __wasm_call_ctors(): void;
  _emscripten_thread_init(self: number, isMain: number, isRuntime: number, canBlock: number, profile: number): void;
  mlxc_set_num_threads(n: number): number;
  mlxc_get_num_threads(): number;
  mlxc_running_workers(): number;
  mlxc_worker_prepare(id: number, out2: number): number;
  mlxc_eval_thread_prepare(out2: number): number;
}

/** The env imports of the threads build that the standalone build does not have. */
export function threadImports(memory: WebAssembly.Memory, exports: () => ThreadExports, memoryGrew: () => void): Record<string, ImportFn> {
  let heap = new Uint8Array(memory.buffer);
  return {
    // sbrk asks for `requested` bytes of memory in all: grow by at least 20% (capped at
    // 96 MiB) so a sequence of allocations does not grow a page at a time.
    emscripten_resize_heap: (requested: number) => {
      const want = requested >>> 0;
      const old = memory.buffer.byteLength;
      if (want <= old) return 1;
      const limit = MAX_PAGES * PAGE;
      for (const target of [Math.max(want, old + Math.min(old / 5, 96 << 20)), want]) {
        const bytes = Math.min(limit, Math.ceil(target / PAGE) * PAGE);
        if (bytes < want) continue;
        try {
          memory.grow((bytes - old) / PAGE);
          memoryGrew();
          return 1;
        } catch {
          // try the exact size next
        }
      }
      return 0;
    },
    // Called by the static constructors: the main thread's pthread state. Unlike
    // emscripten's JS glue this does NOT move the main thread's thread-local storage to a
    // fresh block (emscripten_tls_init): with clang 14, the code wasm exception handling
    // generates writes the landing-pad context (__wasm_lpad_context, thread-local in
    // libunwind) at its static address, so C++ catch clauses only match while the main
    // thread's TLS stays at the static block. Workers get their own block; they never throw.
    __emscripten_init_main_thread_js: (self: number) => {
      exports()._emscripten_thread_init(self, 1, 1, isNode() ? 1 : 0, 0);
    },
    // memcpy of large blocks goes through JS in a non-standalone build.
    emscripten_memcpy_big: (dest: number, src: number, n: number) => {
      if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
      heap.copyWithin(dest >>> 0, src >>> 0, (src >>> 0) + (n >>> 0));
    },
    abort: () => {
      throw new Error('[mlxjs-wasm] The core module aborted.');
    },
    emscripten_check_blocking_allowed: () => {},
    emscripten_get_now: () => performance.now(),
    exit: (code: number) => {
      throw new WasmExit(code);
    },
  };
}

/** The workers of one threads-build instance. */
export class WasmThreadPool {
  private readonly started: Promise<boolean>[] = [];
  private failure = '';

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly x: ThreadExports,
    /** mlxc_worker_prepare through the backend's scratch area: [stack top, stack limit]. */
    private readonly prepare: (id: number) => [number, number],
  ) {}

  /** Sets the thread count and starts missing workers; resolves when they all run. */
  async setThreads(n: number): Promise<void> {
    if (this.x.mlxc_set_num_threads(n) !== 0) throw new Error(`[setNumThreads] The core refused ${n} threads.`);
    for (let id = this.started.length; id < n - 1; id++) this.started.push(this.spawn(id));
    const ok = (await Promise.all(this.started.slice(0, n - 1))).filter(Boolean).length;
    // A started worker reports itself to the core a moment after its message.
    for (let waited = 0; this.x.mlxc_running_workers() < ok && waited < 2000; waited += 2) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  info(): Omit<ThreadingInfo, 'asyncEval' | 'asyncEvalReason'> {
    const threads = this.x.mlxc_get_num_threads();
    const workers = this.x.mlxc_running_workers();
    const reason = this.failure !== ''
      ? `a worker failed to start: ${this.failure}`
      : isNode() ? 'worker_threads on a shared WebAssembly.Memory' : 'Web Workers on a shared WebAssembly.Memory (cross-origin isolated page)';
    return { mode: 'wasm-threads', threads, workers, reason };
  }

  private async spawn(id: number): Promise<boolean> {
    const [stackTop] = this.prepare(id);
    const worker = await startWorker({ module: this.module, memory: this.memory, id, stackTop }, (message) => {
      this.failure = message;
    });
    return worker !== null;
  }
}

/** A started worker.js thread (Node worker_threads or a Web Worker). */
export type HostWorker = NodeWorker | Worker;

/**
 * Starts worker.js and posts `init` to it; resolves with the worker once it reports
 * `{started}`, or with null after calling `onFailure` with the reason. Later messages go to
 * `onMessage`. A Node worker stays referenced until it has started (so awaiting this keeps
 * the process alive), then never keeps Node alive (unref'd).
 */
export function startWorker(
  init: Record<string, unknown>,
  onFailure: (message: string) => void,
  onMessage?: (m: unknown) => void,
): Promise<HostWorker | null> {
  let worker: HostWorker;
  try {
    if (isNode()) {
      const { Worker: NodeWorkerClass } = nodeProcess()!.getBuiltinModule!('node:worker_threads') as { Worker: NodeWorkerCtor };
      // The worker inherits Node's flags, except that Node refuses --input-type for a
      // worker file (`node --input-type=module -e ...`): then the flags are passed without
      // it, or none if Node refuses some of those per worker (V8 flags such as --expose-gc).
      const url = new URL('./worker.js', import.meta.url);
      const flags = (nodeProcess() as { execArgv?: string[] }).execArgv ?? [];
      if (!flags.some((a) => a.startsWith('--input-type'))) {
        worker = new NodeWorkerClass(url);
      } else {
        try {
          worker = new NodeWorkerClass(url, { execArgv: flags.filter((a) => !a.startsWith('--input-type')) });
        } catch {
          worker = new NodeWorkerClass(url, { execArgv: [] });
        }
      }
    } else {
      worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    }
  } catch (e) {
    onFailure(e instanceof Error ? e.message : String(e));
    return Promise.resolve(null);
  }
  return new Promise<HostWorker | null>((resolve) => {
    let settled = false;
    // unref() must follow the listeners: adding a 'message' listener references the worker again.
    const settle = (ok: boolean): void => {
      settled = true;
      if ('unref' in worker) worker.unref();
      resolve(ok ? worker : null);
    };
    const handle = (m: unknown): void => {
      const msg = m as { started?: number; failed?: number; message?: string };
      if (settled) onMessage?.(m);
      else if (msg.started !== undefined) settle(true);
      else if (msg.failed !== undefined) {
        onFailure(msg.message ?? 'unknown error');
        settle(false);
      }
    };
    const onError = (e: unknown): void => {
      if (settled) return;
      onFailure(e instanceof Error ? e.message : String((e as { message?: string }).message ?? e));
      settle(false);
    };
    if ('on' in worker) {
      worker.on('message', handle);
      worker.on('error', onError);
    } else {
      worker.onmessage = (e: MessageEvent) => handle(e.data);
      worker.onerror = onError;
    }
    worker.postMessage(init);
  });
}

/**
 * The import object of the core's STANDALONE_WASM module: the two closure callbacks of the
 * C ABI, emscripten's memory-growth notification, and the few WASI calls a standalone
 * build makes (printing, exit, clocks, environment). Any other import the module declares
 * gets a stub that throws a clear error when called, so a new import never breaks loading.
 */

/** Callbacks from the module into the backend. */
export interface ImportHooks {
  /** mlxc_host_call(id, inputs, outputs) -> status. */
  hostCall(id: number, inputs: number, outputs: number): number;
  /** mlxc_host_release(id). */
  hostRelease(id: number): void;
  /** Memory grew: typed views of it must be recreated. */
  memoryGrew(): void;
  /** The module's linear memory (available once instantiated). */
  memory(): WebAssembly.Memory;
  /** The threads build imports its (shared) memory: env.memory. */
  importedMemory?: WebAssembly.Memory;
  /** More env functions (the threads build's imports, threads.ts). */
  extraEnv?: Record<string, ImportFn>;
}

/** Thrown by proc_exit: the C side asked to stop the program. */
export class WasmExit extends Error {
  constructor(readonly code: number) {
    super(`[mlxjs-wasm] The core module exited with code ${code}.`);
  }
}

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;

export type ImportFn = (...args: never[]) => number | bigint | void;

export function buildImports(module: WebAssembly.Module, hooks: ImportHooks): WebAssembly.Imports {
  const view = () => new DataView(hooks.memory().buffer);
  // Text written to stdout/stderr, flushed a line at a time so messages are not split.
  const pending: Record<number, string> = { 1: '', 2: '' };
  const decoder = new TextDecoder();

  const known: Record<string, Record<string, ImportFn>> = {
    env: {
      mlxc_host_call: (id: number, inputs: number, outputs: number) => hooks.hostCall(id >>> 0, inputs >>> 0, outputs >>> 0),
      mlxc_host_release: (id: number) => hooks.hostRelease(id >>> 0),
      emscripten_notify_memory_growth: () => hooks.memoryGrew(),
      ...hooks.extraEnv,
    },
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new WasmExit(code);
      },
      fd_write: (fd: number, iov: number, iovcnt: number, pnum: number) => {
        if (fd !== 1 && fd !== 2) return ERRNO_BADF;
        const dv = view();
        let written = 0;
        let text = '';
        for (let i = 0; i < iovcnt; i++) {
          const ptr = dv.getUint32(iov + i * 8, true);
          const len = dv.getUint32(iov + i * 8 + 4, true);
          // slice(): TextDecoder rejects views of a shared memory in browsers.
          text += decoder.decode(new Uint8Array(hooks.memory().buffer, ptr, len).slice());
          written += len;
        }
        const lines = (pending[fd] + text).split('\n');
        pending[fd] = lines.pop()!;
        for (const line of lines) (fd === 1 ? console.log : console.error)(line);
        dv.setUint32(pnum, written, true);
        return ERRNO_SUCCESS;
      },
      // No environment variables or arguments: report empty lists.
      environ_sizes_get: (countPtr: number, sizePtr: number) => writeTwoZeros(view(), countPtr, sizePtr),
      environ_get: () => ERRNO_SUCCESS,
      args_sizes_get: (countPtr: number, sizePtr: number) => writeTwoZeros(view(), countPtr, sizePtr),
      args_get: () => ERRNO_SUCCESS,
      clock_time_get: (clockId: number, _precision: bigint, out: number) => {
        // Realtime for clock 0, a monotonic clock otherwise; nanoseconds.
        const ms = clockId === 0 ? Date.now() : performance.now();
        view().setBigUint64(out, BigInt(Math.round(ms * 1e6)), true);
        return ERRNO_SUCCESS;
      },
      random_get: (ptr: number, len: number) => {
        // Through a copy: getRandomValues rejects views of a shared memory.
        const bytes = new Uint8Array(len);
        crypto.getRandomValues(bytes);
        new Uint8Array(hooks.memory().buffer, ptr, len).set(bytes);
        return ERRNO_SUCCESS;
      },
      sched_yield: () => ERRNO_SUCCESS,
    },
  };

  const imports: WebAssembly.Imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ??= {});
    const fn = known[imp.module]?.[imp.name];
    if (imp.kind === 'function') ns[imp.name] = fn ?? unsupported(imp.module, imp.name);
    // 'tag' is newer than the DOM typings' ImportExportKind.
    else if ((imp.kind as string) === 'tag') ns[imp.name] = exceptionTag(imp.module, imp.name);
    else if (imp.kind === 'memory' && hooks.importedMemory !== undefined) ns[imp.name] = hooks.importedMemory;
    else {
      throw new Error(`[mlxjs-wasm] The core module imports ${imp.kind} ${imp.module}.${imp.name}, which this loader does not provide.`);
    }
  }
  return imports;
}

function writeTwoZeros(dv: DataView, a: number, b: number): number {
  dv.setUint32(a, 0, true);
  dv.setUint32(b, 0, true);
  return ERRNO_SUCCESS;
}

function unsupported(module: string, name: string): ImportFn {
  return () => {
    throw new Error(`[mlxjs-wasm] The core module called the import ${module}.${name}, which this loader does not implement.`);
  };
}

/**
 * Some emscripten versions import the C++ exception tag (wasm exception handling) instead
 * of defining it. Its one parameter is the thrown object's address (i32 on wasm32).
 */
function exceptionTag(module: string, name: string): WebAssembly.ImportValue {
  const Tag = (WebAssembly as unknown as { Tag?: new (type: { parameters: string[] }) => unknown }).Tag;
  if (Tag === undefined) {
    throw new Error(`[mlxjs-wasm] The core module imports the tag ${module}.${name}, but this runtime lacks WebAssembly.Tag.`);
  }
  return new Tag({ parameters: ['i32'] }) as WebAssembly.ImportValue;
}

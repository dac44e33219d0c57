import {
  type Backend,
  type DtypeCode,
  type Handle,
  type HostFunction,
  HostFunctionTable,
  type MemoryStats,
  type ThreadingInfo,
} from '@mlxjs/core';
import { type Addon, loadAddon } from './addon.js';

const NO_PARAMS: readonly number[] = [];

/** An evaluation running on the addon's worker thread. */
interface AsyncJob {
  done: boolean;
  error: unknown;
}

/** The addon and what every Backend over it shares: one core per process. */
interface Shared {
  addon: Addon;
  hostFunctions: HostFunctionTable;
  device: 'metal' | 'cpu';
}
let shared: Shared | null = null;

/**
 * The Backend over the core compiled natively (the addon in src/binding.cpp). It mirrors
 * the wasm backend (packages/backend-wasm/src/wasm-backend.ts) method for method; the
 * addon does the marshalling, so this class only adds the host-function table and error
 * handling. Two instances can exist over the one addon: `native` (every kernel on the
 * CPU) and, in a macOS build with a Metal device, `metal` (GPU kernels, CPU fallback);
 * they share the core and its host-function table, and each switches the addon to its
 * device before using it (the registry only switches backends while no array is alive).
 */
export class NativeBackend implements Backend {
  readonly name: 'native' | 'metal';
  private readonly shared: Shared;
  private readonly hostFunctions: HostFunctionTable;
  /** Op ids by name, looked up in the core once per name. */
  private readonly opIds = new Map<string, number>();
  /** asyncEval sessions running on the addon's worker thread, by id. */
  private readonly sessions = new Map<number, AsyncJob>();
  private nextSession = 1;

  /** Use loadNativeBackend() / loadMetalBackend(); this wires a loaded addon. */
  constructor(addon: Addon, device: 'native' | 'metal' = 'native') {
    if (shared === null || shared.addon !== addon) {
      const table = new HostFunctionTable();
      addon.setHost(
        (id, inputs) => table.call(id, inputs),
        (id) => table.release(id),
      );
      shared = { addon, hostFunctions: table, device: 'cpu' };
    }
    this.shared = shared;
    this.hostFunctions = shared.hostFunctions;
    this.name = device;
  }

  /** The addon, switched to this backend's device. */
  private get x(): Addon {
    const want = this.name === 'metal' ? 'metal' : 'cpu';
    if (this.shared.device !== want) {
      this.shared.addon.setDevice(want);
      this.shared.device = want;
    }
    return this.shared.addon;
  }

  /**
   * Runs one addon call. A failure caused by a host function rethrows that function's own
   * Error object (the core only saw a status); any other failure is the core's message.
   */
  private call<T>(f: () => T): T {
    this.hostFunctions.pendingError = undefined;
    try {
      return f();
    } catch (e) {
      const hostError = this.hostFunctions.takePendingError();
      if (hostError !== undefined) {
        this.x.clearError();
        throw hostError;
      }
      throw e;
    }
  }

  // ---- ops ----------------------------------------------------------------------------

  private opId(name: string): number {
    let id = this.opIds.get(name);
    if (id === undefined) {
      id = this.x.opId(name);
      if (id < 0) throw new Error(`[${name}] This op does not exist in the native core.`);
      this.opIds.set(name, id);
    }
    return id;
  }

  op(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle[] {
    const id = this.opId(name);
    return this.call(() => this.x.op(id, inputs, ints, reals));
  }

  op1(name: string, inputs: readonly Handle[], ints: readonly number[] = NO_PARAMS, reals: readonly number[] = NO_PARAMS): Handle {
    const outs = this.op(name, inputs, ints, reals);
    if (outs.length !== 1) {
      for (const h of outs) this.x.free(h);
      throw new Error(`[${name}] Returned ${outs.length} outputs where one was expected.`);
    }
    return outs[0]!;
  }

  opSchema(name: string): string {
    return this.x.opSchema(this.opId(name));
  }

  opNames(): string[] {
    const names: string[] = [];
    const n = this.x.opCount();
    for (let i = 0; i < n; i++) names.push(this.x.opName(i));
    return names;
  }

  // ---- transforms ---------------------------------------------------------------------

  vjp(fn: Handle, primals: readonly Handle[], cotangents: readonly Handle[]): [Handle[], Handle[]] {
    return this.call(() => this.x.vjp(fn, primals, cotangents));
  }

  jvp(fn: Handle, primals: readonly Handle[], tangents: readonly Handle[]): [Handle[], Handle[]] {
    return this.call(() => this.x.jvp(fn, primals, tangents));
  }

  valueAndGrad(fn: Handle, primals: readonly Handle[]): [Handle[], Handle[]] {
    return this.call(() => this.x.valueAndGrad(fn, primals));
  }

  customFunction(
    fn: Handle,
    vjp: Handle | null,
    jvp: Handle | null,
    vmap: Handle | null,
    args: readonly Handle[],
  ): Handle[] {
    return this.call(() => this.x.customFunction(fn, vjp ?? 0, jvp ?? 0, vmap ?? 0, args));
  }

  vmap(fn: Handle, inputs: readonly Handle[], inAxes: readonly number[]): [Handle[], number[]] {
    return this.call(() => this.x.vmap(fn, inputs, inAxes));
  }

  compile(fn: Handle, shapeless: boolean): Handle {
    return this.call(() => this.x.compile(fn, shapeless));
  }

  kernelCount(): number {
    return this.x.kernelCount();
  }

  checkpoint(fn: Handle, args: readonly Handle[]): Handle[] {
    return this.call(() => this.x.checkpoint(fn, args));
  }

  // ---- creation and reading -----------------------------------------------------------

  fromData(bytes: ArrayBufferView, shape: readonly number[], dtype: DtypeCode): Handle {
    const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.call(() => this.x.fromData(u8, shape, dtype));
  }

  scalar(value: number, dtype: DtypeCode): Handle {
    return this.call(() => this.x.scalar(value, dtype));
  }

  read(h: Handle): Uint8Array {
    return this.call(() => this.x.read(h));
  }

  free(h: Handle): void {
    this.call(() => this.x.free(h));
  }

  retain(h: Handle): Handle {
    return this.call(() => this.x.retain(h));
  }

  shape(h: Handle): number[] {
    return this.x.shape(h);
  }

  dtype(h: Handle): DtypeCode {
    return this.x.dtype(h) as DtypeCode;
  }

  size(h: Handle): number {
    return this.x.size(h);
  }

  eval(handles: readonly Handle[]): void {
    this.call(() => this.x.eval(handles));
  }

  /**
   * asyncEval (packages/core) calls evalBegin, then evalStep until it returns true,
   * yielding to the event loop in between. Here evalBegin starts the whole evaluation on a
   * worker thread (the addon's evalAsync) and evalStep only reports whether it finished,
   * so the event loop keeps running while the kernels do. The session ids are ours, not
   * core handles.
   */
  evalBegin(handles: readonly Handle[]): Handle {
    const job: AsyncJob = { done: false, error: undefined };
    this.call(() => this.x.evalAsync(handles)).then(
      () => {
        job.done = true;
      },
      (e: unknown) => {
        job.error = e;
        job.done = true;
      },
    );
    const id = this.nextSession++;
    this.sessions.set(id, job);
    return id;
  }

  evalStep(session: Handle, _budget: number): boolean {
    const job = this.sessions.get(session);
    if (job === undefined) throw new Error('[async_eval] Invalid session.');
    if (job.error !== undefined) throw job.error;
    return job.done;
  }

  evalEnd(session: Handle): void {
    this.sessions.delete(session);
  }

  // ---- closures -----------------------------------------------------------------------

  closureNew(fn: HostFunction, onRelease?: () => void): Handle {
    const id = this.hostFunctions.add(fn, onRelease);
    try {
      return this.x.closureNew(id);
    } catch (e) {
      this.hostFunctions.release(id);
      throw e;
    }
  }

  closureApply(c: Handle, inputs: readonly Handle[]): Handle[] {
    return this.call(() => this.x.closureApply(c, inputs));
  }

  closureFree(c: Handle): void {
    this.call(() => this.x.closureFree(c));
  }

  // ---- memory -------------------------------------------------------------------------

  memoryStats(): MemoryStats {
    const [activeBytes, peakBytes, cacheBytes, liveArrays, memoryLimit] = this.x.memoryStats();
    return {
      activeBytes: activeBytes!,
      peakBytes: peakBytes!,
      cacheBytes: cacheBytes!,
      liveArrays: liveArrays!,
      memoryLimit: memoryLimit!,
      hostFunctions: this.hostFunctions.size,
    };
  }

  setMemoryLimit(bytes: number): void {
    this.x.setMemoryLimit(bytes);
  }

  setCacheLimit(bytes: number): void {
    this.x.setCacheLimit(bytes);
  }

  clearCache(): void {
    this.x.clearCache();
  }

  resetPeakMemory(): void {
    this.x.resetPeakMemory();
  }

  setNumThreads(n: number): void {
    this.x.setNumThreads(n);
  }

  threadingInfo(): ThreadingInfo {
    const [threads, workers] = this.x.threadCounts();
    return {
      mode: 'native-threads', threads, workers, reason: 'std::thread workers in the addon',
      asyncEval: 'thread', asyncEvalReason: 'a libuv worker thread (napi_async_work)',
    };
  }
}

/**
 * The addon is one core per process: loading twice returns the same backend (the
 * instances share the core's host-function table).
 */
const instances: { native?: NativeBackend; metal?: NativeBackend } = {};

/** Loads the native addon as a Backend; rejects with the reason when it cannot load. */
export async function loadNativeBackend(): Promise<NativeBackend> {
  if (instances.native) return instances.native;
  const addon = loadAddon();
  if (typeof addon === 'string') throw new Error(`[mlxjs-native] ${addon}.`);
  instances.native = new NativeBackend(addon, 'native');
  return instances.native;
}

/** Loads the addon as the `metal` Backend (macOS build with a Metal device). */
export async function loadMetalBackend(): Promise<NativeBackend> {
  if (instances.metal) return instances.metal;
  const verdict = metalAvailable();
  if (verdict !== true) throw new Error(`[mlxjs-native] ${verdict}.`);
  instances.metal = new NativeBackend(loadAddon() as Addon, 'metal');
  return instances.metal;
}

/** Whether the native addon can load here (true), or why not. */
export function nativeAvailable(): boolean | string {
  const addon = loadAddon();
  return typeof addon === 'string' ? addon : true;
}

/** Whether the `metal` backend can load here (true), or why not. */
export function metalAvailable(): boolean | string {
  const addon = loadAddon();
  if (typeof addon === 'string') return addon;
  return typeof addon.metalStatus === 'function' ? addon.metalStatus() : 'the native addon is an older build without Metal support';
}

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

/**
 * The Backend over the core compiled natively (the addon in src/binding.cpp). It mirrors
 * the wasm backend (packages/backend-wasm/src/wasm-backend.ts) method for method; the
 * addon does the marshalling, so this class only adds the host-function table and error
 * handling.
 */
export class NativeBackend implements Backend {
  readonly name = 'native';
  private readonly x: Addon;
  private readonly hostFunctions = new HostFunctionTable();
  /** Op ids by name, looked up in the core once per name. */
  private readonly opIds = new Map<string, number>();

  /** Use loadNativeBackend(); this wires a loaded addon. */
  constructor(addon: Addon) {
    this.x = addon;
    this.x.setHost(
      (id, inputs) => this.hostCall(id, inputs),
      (id) => this.hostFunctions.release(id),
    );
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

  /**
   * The core runs host function `id` on new handles it passes to us. Returns the outputs
   * (the addon appends them to the core's vector and frees these handles) or null when
   * the function threw (the table keeps the Error for `call` to rethrow).
   */
  private hostCall(id: number, inputs: Handle[]): Handle[] | null {
    return this.hostFunctions.call(id, inputs);
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

  evalBegin(handles: readonly Handle[]): Handle {
    return this.call(() => this.x.evalBegin(handles));
  }

  evalStep(session: Handle, budget: number): boolean {
    return this.call(() => this.x.evalStep(session, budget));
  }

  evalEnd(session: Handle): void {
    this.x.evalEnd(session);
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
    return { mode: 'native-threads', threads, workers, reason: 'std::thread workers in the addon' };
  }
}

/**
 * The addon is one core per process: every NativeBackend shares it, so loading twice
 * returns the same backend (a second host-function table would orphan the first's).
 */
let instance: NativeBackend | null = null;

/** Loads the native addon as a Backend; rejects with the reason when it cannot load. */
export async function loadNativeBackend(): Promise<NativeBackend> {
  if (instance !== null) return instance;
  const addon = loadAddon();
  if (typeof addon === 'string') throw new Error(`[mlxjs-native] ${addon}.`);
  instance = new NativeBackend(addon);
  return instance;
}

/** Whether the native addon can load here (true), or why not. */
export function nativeAvailable(): boolean | string {
  const addon = loadAddon();
  return typeof addon === 'string' ? addon : true;
}

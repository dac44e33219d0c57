import { CoreClient, type Handle, HostFunctionTable, type ThreadingInfo } from '@mlxjs/core';
import { type Addon, loadAddon } from './addon.js';

/** An evaluation running on the addon's worker thread. */
interface AsyncJob {
  done: boolean;
  error: unknown;
}

/**
 * The Backend over the core compiled natively (the addon in src/binding.cpp): the shared
 * CoreClient over the addon's generic mlxc_* bindings (the scratch area is an ArrayBuffer
 * over the core's own, handles are 64-bit), plus what only the addon has: array bytes
 * copied by the addon, asyncEval on a libuv worker thread, std::thread workers, and the
 * device. `native` runs every kernel on the CPU; `metal` (a macOS build with a device) is
 * the same core with GPU kernels: its device is selected once, when the registry makes it
 * current (activate()); the registry switches backends only while no array is alive.
 */
export class NativeBackend extends CoreClient {
  readonly name: 'native' | 'metal';
  private readonly addon: Addon;
  /** asyncEval sessions running on the addon's worker thread, by core session handle. */
  private readonly jobs = new Map<Handle, AsyncJob>();

  /** Use loadNativeBackend() / loadMetalBackend(); this wires a loaded addon. */
  constructor(addon: Addon, table: HostFunctionTable, device: 'native' | 'metal' = 'native') {
    const scratch = addon.scratch();
    super(addon, table, { buffer: () => scratch, scratch: 0, ptrSize: 8 });
    this.addon = addon;
    this.name = device;
  }

  activate(): void {
    this.addon.setDevice(this.name === 'metal' ? 'metal' : 'cpu');
  }

  protected writeData(h: Handle, bytes: Uint8Array): void {
    this.addon.arrayWrite(h, bytes);
  }

  protected writeDataAt(h: Handle, byteOffset: number, bytes: Uint8Array): void {
    this.addon.arrayWrite(h, bytes, byteOffset);
  }

  protected readData(c: Handle, _nbytes: number): Uint8Array {
    return this.addon.arrayRead(c);
  }

  /**
   * asyncEval (packages/core) calls evalBegin, then evalStep until it returns true,
   * yielding to the event loop in between. Here evalBegin begins the core session (on this
   * thread: it captures the arrays and refuses inside a transform) and runs it whole on a
   * worker thread; evalStep only reports whether it finished, so the event loop keeps
   * running while the kernels do.
   */
  override evalBegin(handles: readonly Handle[]): Handle {
    const session = super.evalBegin(handles);
    const job: AsyncJob = { done: false, error: undefined };
    this.jobs.set(session, job);
    this.addon.evalAsync(session).then(
      () => {
        job.done = true;
      },
      (e: unknown) => {
        job.error = e;
        job.done = true;
      },
    );
    return session;
  }

  override evalStep(session: Handle, _budget: number): boolean {
    const job = this.jobs.get(session);
    if (job === undefined) throw new Error('[async_eval] Invalid session.');
    if (job.error !== undefined) throw job.error;
    return job.done;
  }

  override evalEnd(session: Handle): void {
    // Freeing waits for the core lock, i.e. for a worker still running the session.
    this.jobs.delete(session);
    super.evalEnd(session);
  }

  setNumThreads(n: number): void {
    if (this.x.mlxc_set_num_threads(n) !== 0) throw new Error('[setNumThreads] The core could not start its threads.');
  }

  threadingInfo(): ThreadingInfo {
    return {
      mode: 'native-threads', threads: this.x.mlxc_get_num_threads(), workers: this.x.mlxc_running_workers(),
      reason: 'std::thread workers in the addon',
      asyncEval: 'thread', asyncEvalReason: 'a libuv worker thread (napi_async_work)',
    };
  }
}

/**
 * The addon is one core per process with one host-function table: loading twice returns the
 * same backend, and `native` and `metal` share the core and the table.
 */
const instances: { table?: HostFunctionTable; native?: NativeBackend; metal?: NativeBackend } = {};

function create(addon: Addon, device: 'native' | 'metal'): NativeBackend {
  if (instances.table === undefined) {
    const table = new HostFunctionTable();
    instances.table = table;
    // The client of whichever backend is current runs host calls (both share the core).
    addon.setHost(
      (id, inputs, outputs) => (instances.native ?? instances.metal)!.hostCall(id, inputs, outputs),
      (id) => table.release(id),
    );
  }
  return new NativeBackend(addon, instances.table, device);
}

/** Loads the native addon as a Backend; rejects with the reason when it cannot load. */
export async function loadNativeBackend(): Promise<NativeBackend> {
  if (instances.native) return instances.native;
  const addon = loadAddon();
  if (typeof addon === 'string') throw new Error(`[mlxjs-native] ${addon}.`);
  instances.native = create(addon, 'native');
  return instances.native;
}

/** Loads the addon as the `metal` Backend (macOS build with a Metal device). */
export async function loadMetalBackend(): Promise<NativeBackend> {
  if (instances.metal) return instances.metal;
  const verdict = metalAvailable();
  if (verdict !== true) throw new Error(`[mlxjs-native] ${verdict}.`);
  instances.metal = create(loadAddon() as Addon, 'metal');
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

import type { Handle, HostFunction } from './backend.js';

interface Entry {
  fn: HostFunction;
  onRelease: (() => void) | undefined;
}

/**
 * The id -> function table a backend keeps for core closures. The C ABI names host
 * functions by a uint32 id; the core calls back with that id (host call) and says when it
 * no longer needs it (host release). Shared by all backends so they treat errors alike.
 */
export class HostFunctionTable {
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  /**
   * The exception a host function threw, kept so the backend can rethrow the same object
   * when the core reports the failure of the outer call (the core only sees a status).
   */
  pendingError: unknown = undefined;

  add(fn: HostFunction, onRelease?: () => void): number {
    // Ids are uint32 in the ABI; wrap around and skip ids still in use.
    do {
      this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    } while (this.entries.has(this.nextId));
    this.entries.set(this.nextId, { fn, onRelease });
    return this.nextId;
  }

  /**
   * Runs host function `id`. Returns its outputs, or null after storing the thrown value in
   * `pendingError` (the backend then reports failure to the core).
   */
  call(id: number, inputs: Handle[]): Handle[] | null {
    const entry = this.entries.get(id);
    try {
      if (entry === undefined) throw new Error(`[closure] Unknown host function id ${id}.`);
      return entry.fn(inputs);
    } catch (e) {
      // Keep the first failure: later ones are usually consequences of it.
      if (this.pendingError === undefined) this.pendingError = e;
      return null;
    }
  }

  release(id: number): void {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    entry?.onRelease?.();
  }

  /** Takes the stored host exception, if any, leaving none behind. */
  takePendingError(): unknown {
    const e = this.pendingError;
    this.pendingError = undefined;
    return e;
  }

  get size(): number {
    return this.entries.size;
  }
}

import type { Backend, Handle } from './backend.js';
import { type Dtype, dtypeFromCode } from './dtype.js';
import { type HostTypedArray, readTypedArray, readValues, type Scalar } from './elements.js';
import { countArray, recordInScope } from './scope.js';

/** Nested JS arrays of numbers/booleans, as `tolist()` returns them. */
export type NestedList = Scalar | NestedList[];

interface Owned {
  backend: Backend;
  handle: Handle;
  /** False for library-held arrays excluded from the live count (mx.random.state's key). */
  counted: boolean;
}

/**
 * Frees the core handle of an array that was garbage-collected without dispose(). A safety
 * net only: collection is late and unpredictable, so code should dispose or use tidy().
 */
const finalizer = new FinalizationRegistry<Owned>(({ backend, handle, counted }) => {
  if (counted) countArray(-1);
  try {
    backend.free(handle);
  } catch {
    // A finalizer has nobody to report to; the handle is lost either way.
  }
});

/**
 * An mlxjs array (exported as `Array`): an owned handle to a core array and the backend it
 * lives on. Arrays are immutable; ops return new arrays. Shape and dtype are read from the
 * core once and cached.
 */
export class MxArray {
  private _handle: Handle;
  readonly backend: Backend;
  private _shape: number[] | undefined;
  private _dtype: Dtype | undefined;
  /** Set by keep(): tidy() leaves this array alive, and owners never free it. */
  kept = false;
  /**
   * How many modules/optimizers hold this array (ownership.ts). A held array outlives the
   * tidy() it was made in; the last owner to let go of it frees it.
   */
  holders = 0;
  /** Which call freed the array, when an owner did (for the error on a later read). */
  private _freedBy: string | undefined;
  private readonly _owned: Owned;

  /** @internal Takes ownership of `handle`. Use the ops (mx.array, mx.add, ...) instead. */
  constructor(backend: Backend, handle: Handle) {
    this.backend = backend;
    this._handle = handle;
    countArray(1);
    this._owned = { backend, handle, counted: true };
    finalizer.register(this, this._owned, this);
    recordInScope(this);
  }

  /** The core handle; throws if the array was disposed. */
  get handle(): Handle {
    if (this._handle < 0) {
      if (this._freedBy !== undefined) {
        throw new Error(`[array] Array was freed when ${this._freedBy}; mx.keep(...) it to hold it.`);
      }
      throw new Error('[array] Array has been disposed.');
    }
    return this._handle;
  }

  get isDisposed(): boolean {
    return this._handle < 0;
  }

  /** Frees the core handle now. Idempotent. */
  dispose(): void {
    if (this._handle < 0) return;
    const h = this._handle;
    this._handle = -1;
    finalizer.unregister(this);
    if (this._owned.counted) countArray(-1);
    this.backend.free(h);
  }

  /**
   * @internal Leaves this array out of the count of the user's live arrays (which guards
   * backend switches): for state the library itself holds and moves, mx.random.state's key.
   */
  _uncount(): void {
    if (!this._owned.counted || this._handle < 0) return;
    this._owned.counted = false;
    countArray(-1);
  }

  /** @internal Frees the array on behalf of an owner; `reason` names the call for later errors. */
  _freeBecause(reason: string): void {
    if (this._handle < 0) return;
    this._freedBy = reason;
    this.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  get shape(): number[] {
    this._shape ??= this.backend.shape(this.handle);
    return this._shape.slice();
  }

  get dtype(): Dtype {
    this._dtype ??= dtypeFromCode(this.backend.dtype(this.handle));
    return this._dtype;
  }

  get ndim(): number {
    this._shape ??= this.backend.shape(this.handle);
    return this._shape.length;
  }

  get size(): number {
    this._shape ??= this.backend.shape(this.handle);
    return this._shape.reduce((a, b) => a * b, 1);
  }

  get itemsize(): number {
    return this.dtype.size;
  }

  get nbytes(): number {
    return this.size * this.dtype.size;
  }

  /**
   * A flat row-major copy of the values (evaluates). float16/bfloat16 come back as
   * Float32Array, bool as Uint8Array of 0/1, int64/uint64 as BigInt64Array/BigUint64Array.
   */
  toTypedArray(): HostTypedArray {
    return readTypedArray(this.backend.read(this.handle), this.dtype);
  }

  /** Async twin of toTypedArray(). For now the read is synchronous and the Promise resolved. */
  async data(): Promise<HostTypedArray> {
    return this.toTypedArray();
  }

  /**
   * Nested JS arrays of the values (evaluates). Numbers, or booleans for bool arrays;
   * int64/uint64 become Numbers (exact up to 2^53; use toTypedArray() for full range).
   */
  tolist(): NestedList {
    const flat = readValues(this.backend.read(this.handle), this.dtype);
    return nest(flat, this.shape);
  }

  /** The single value of a size-1 array (evaluates). */
  item(): Scalar {
    if (this.size !== 1) {
      throw new Error(`[item] item can only be called on arrays of size 1 (got size ${this.size}).`);
    }
    return readValues(this.backend.read(this.handle), this.dtype)[0]!;
  }

  /** MLX's repr, on one line: `array([[1, 2], [3, 4]], dtype=int32)`. Evaluates. */
  toString(): string {
    if (this.isDisposed) return 'array(<disposed>)';
    const flat = readValues(this.backend.read(this.handle), this.dtype);
    const text = flat.map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : formatNumber(v)));
    return `array(${nestText(text, this.shape)}, dtype=${this.dtype.name})`;
  }
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** Rebuilds nested lists from flat row-major values. */
function nest(flat: Scalar[], shape: readonly number[]): NestedList {
  if (shape.length === 0) return flat[0]!;
  let pos = 0;
  const build = (dim: number): NestedList[] => {
    const n = shape[dim]!;
    const out: NestedList[] = new globalThis.Array(n);
    for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? flat[pos++]! : build(dim + 1);
    return out;
  };
  return build(0);
}

function nestText(flat: string[], shape: readonly number[]): string {
  if (shape.length === 0) return flat[0]!;
  let pos = 0;
  const build = (dim: number): string => {
    const n = shape[dim]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(dim === shape.length - 1 ? flat[pos++]! : build(dim + 1));
    return `[${parts.join(', ')}]`;
  };
  return build(0);
}

import type { Backend, Handle } from './backend.js';
import { type Dtype, dtypeFromCode } from './dtype.js';
import { type HostTypedArray, readTypedArray, readValues, type Scalar } from './elements.js';
import { defineRepr, devtoolsFormatter, formatArray } from './print.js';
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
    return this._handle >= 0 ? this._handle : this.handleFor('array');
  }

  /**
   * The core handle for a use by `op` (an op given this array, or `item`, `tolist`, ...):
   * a freed array's error names that op, which call freed it and how to keep it.
   */
  handleFor(op: string): Handle {
    if (this._handle < 0) {
      if (this._freedBy !== undefined) {
        throw new Error(`[${op}] array was freed when ${this._freedBy}; mx.keep(...) it to hold it.`);
      }
      throw new Error(`[${op}] array has been disposed.`);
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
    this._shape ??= this.backend.shape(this.handleFor('shape'));
    return this._shape.slice();
  }

  get dtype(): Dtype {
    this._dtype ??= dtypeFromCode(this.backend.dtype(this.handleFor('dtype')));
    return this._dtype;
  }

  get ndim(): number {
    this._shape ??= this.backend.shape(this.handleFor('ndim'));
    return this._shape.length;
  }

  get size(): number {
    this._shape ??= this.backend.shape(this.handleFor('size'));
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
    return readTypedArray(this.backend.read(this.handleFor('toTypedArray')), this.dtype);
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
    const flat = readValues(this.backend.read(this.handleFor('tolist')), this.dtype);
    return nest(flat, this.shape);
  }

  /** The single value of a size-1 array (evaluates). */
  item(): Scalar {
    this.handleFor('item');
    if (this.size !== 1) {
      throw new Error(`[item] item can only be called on arrays of size 1 (got size ${this.size}).`);
    }
    return readValues(this.backend.read(this.handle), this.dtype)[0]!;
  }

  /** JSON.stringify(x): the nested list of values, as tolist(). Evaluates. */
  toJSON(): NestedList {
    return this.tolist();
  }

  /** MLX's repr (see print.ts): `array([[1, 2],\n       [3, 4]], dtype=int32)`. Evaluates. */
  toString(): string {
    return formatArray(this);
  }

  /**
   * `String(x)` and `${x}` (the string hint) give the repr. Every numeric use (`x + 1`,
   * `x * 2`, `x > y`, `+x`, `Math.exp(x)`, `'s' + x`) throws instead of silently making a
   * string or NaN: arithmetic on arrays goes through the mx ops.
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new Error(
      '[array] Arrays do not convert to numbers; use mx.add(a, 1), mx.multiply(a, 2), ' +
        'mx.greater(a, b), mx.exp(a) ... for arithmetic, a.item() for the value of a ' +
        'size-1 array, and String(a) or `${a}` for text.',
    );
  }
}

defineRepr(MxArray.prototype, (a) =>
  a.isDisposed ? 'array <disposed>' : `array shape=(${a.shape.join(', ')}) dtype=${a.dtype.name}`,
);

// DevTools custom formatters (a browser console setting) show arrays as their repr.
if ('window' in globalThis) {
  const g = globalThis as { devtoolsFormatters?: unknown[] };
  (g.devtoolsFormatters ??= []).push(devtoolsFormatter((x): x is MxArray => x instanceof MxArray));
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

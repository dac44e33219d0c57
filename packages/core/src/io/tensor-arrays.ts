/**
 * RawTensor <-> mlxjs arrays. Loads build every array before handing any out, and free
 * what they made when something fails, so a failed load leaves no array behind.
 */
import { MxArray } from '../array.js';
import { DtypeCode } from '../opcodes.js';
import { currentBackend } from '../registry.js';
import type { RawTensor } from './raw-tensor.js';
import { tensorByteSize } from './tensor-size.js';

/** A new evaluated array holding a copy of `t`'s bytes, on the current backend. */
export function arrayOfRaw(t: RawTensor): MxArray {
  const need = tensorByteSize(t.shape, t.dtype, 'load');
  if (t.bytes.length !== need) {
    throw new Error(`[load] A ${t.dtype} tensor of shape [${t.shape.join(', ')}] needs ${need} bytes, got ${t.bytes.length}.`);
  }
  const backend = currentBackend();
  return new MxArray(backend, backend.fromData(t.bytes, t.shape, DtypeCode[t.dtype]));
}

/** `t`'s host bytes (evaluates it). */
export function rawOfArray(a: MxArray, name: string, fn: string): RawTensor {
  if (!(a instanceof MxArray)) throw new Error(`[${fn}] '${name}' is not an mx.Array (got ${a === null ? 'null' : typeof a}).`);
  return { dtype: a.dtype.name, shape: a.shape, bytes: a.backend.read(a.handle) };
}

/**
 * Runs `build` (which pushes every array it creates into `made`); if it throws, the arrays
 * made so far are freed and the Error passes on.
 */
export function allOrNothing<T>(build: (made: MxArray[]) => T): T {
  const made: MxArray[] = [];
  try {
    return build(made);
  } catch (e) {
    for (const a of made) a.dispose();
    throw e;
  }
}

/** `{ name: array }` from named RawTensors (all or nothing). */
export function arraysOfRaw(tensors: ReadonlyArray<readonly [string, RawTensor]>): Record<string, MxArray> {
  return allOrNothing((made) => {
    const out: Record<string, MxArray> = {};
    for (const [name, t] of tensors) {
      const a = arrayOfRaw(t);
      made.push(a);
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new Error(`[load] Duplicate array name '${name}'.`);
      defineEntry(out, name, a);
    }
    return out;
  });
}

/** Sets `obj[name]` as an own data property even for names like '__proto__'. */
export function defineEntry<T>(obj: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
}

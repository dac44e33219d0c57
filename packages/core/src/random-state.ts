/**
 * mx.random.state: MLX's global key sequence as a tree, `[key]`, so that mx.compile can take
 * it as an input and an output (randomness inside a compiled function then draws new values
 * on every call). A random function without a key splits state[0] in two, keeps the first
 * half as the new global key and uses the second (MLX's KeySequence::next). Outside compile
 * the new key is evaluated at once, so the state is one small evaluated array with no graph
 * behind it.
 *
 * The key is held (ownership.ts) and not counted among the user's live arrays, so it does not
 * block a backend switch: on a switch its value moves to the new backend.
 */
import { MxArray } from './array.js';
import { array } from './ops/creation.js';
import { uint32 } from './dtype.js';
import { hold, isTracingState, release } from './ownership.js';
import { currentBackend, onBackendSwitch } from './registry.js';

const slot: MxArray[] = [];
/** The key to start from on the next backend (seed 0 at first). */
let carried: [number, number] = [0, 0];

/** The live state: a JS array whose only element is the global key. Assigning state[0] sets it. */
export const state: MxArray[] = new Proxy(slot, {
  set(target, key, value: unknown) {
    if (key !== '0') return Reflect.set(target, key, value);
    if (!(value instanceof MxArray)) throw new TypeError('[random.state] The key must be an array.');
    adopt(value);
    return true;
  },
  get(target, key, receiver) {
    if (key === '0') return current();
    return Reflect.get(target, key, receiver) as unknown;
  },
});

/** Puts `value` in the state, holding it; the old key is let go of (freed unless kept). */
function adopt(value: MxArray): void {
  const old = slot[0];
  if (old === value) return;
  hold(value);
  value._uncount();
  slot[0] = value;
  if (old !== undefined) release(old, 'mx.random.state was replaced');
}

/** The key (created on the current backend from the carried value when missing). */
function current(): MxArray {
  const k = slot[0];
  if (k !== undefined && !k.isDisposed && k.backend === currentBackend()) return k;
  if (k !== undefined) slot.length = 0;
  adopt(array(carried, uint32));
  return slot[0]!;
}

/** Sets the global key to key(seed)'s value. */
export function seedState(key: MxArray): void {
  state[0] = key;
  currentBackend().eval([key.handle]);
}

/**
 * The next key of the global sequence: `split` state[0] into two keys; the first becomes the
 * state, the second is returned (the caller disposes it once its op is built).
 */
export function nextKey(split: (k: MxArray) => [MxArray, MxArray]): MxArray {
  const [next, use] = split(current());
  adopt(next);
  if (!isTracingState()) {
    try {
      next.backend.eval([next.handle]);
    } catch (e) {
      // Inside a transform tracing placeholders (vmap) the key stays lazy.
      if (!(e instanceof Error && e.message.startsWith('[eval]'))) throw e;
    }
  }
  return use;
}

onBackendSwitch(
  () => {
    const k = slot[0];
    slot.length = 0;
    if (k === undefined || k.isDisposed) return;
    try {
      const v = k.toTypedArray() as Uint32Array;
      carried = [v[0]!, v[1]!];
    } catch {
      // A key that cannot be read (computed from placeholders) restarts the sequence.
    }
    release(k, 'the backend was switched');
  },
  () => {
    current();
  },
);

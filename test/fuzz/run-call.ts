// Runs one fuzzed call and judges it: it must return or throw an Error whose message starts
// with "[name] ", leave no live array behind and leave every pre-existing array as it was.
// The outcome carries a digest of the result so two backends can be compared.
import * as mx from 'mlxjs';
import { argsFor, makePool, type Pool, rng, snapshot } from './values.js';
import { type Target, targets } from './targets.js';

/** What a call did. 'raw-error': an Error without "[name] "; 'non-error': a thrown non-Error. */
export type Kind = 'ok' | 'op-error' | 'raw-error' | 'non-error' | 'leak' | 'corrupt';

export interface Outcome {
  i: number;
  name: string;
  kind: Kind;
  /** The error message (or what leaked or changed). */
  message?: string;
  /** The result's arrays: shape, dtype, count and first values; or a primitive result. */
  digest?: unknown;
  /** The call as code, for reproducing it. */
  call: string;
  ms: number;
}

/** The memory limit calls run under: big enough for real work, small enough for a shared machine. */
export const FUZZ_MEMORY_LIMIT = 1 << 30;
const CACHE_LIMIT = 64 << 20;

export interface Fuzz {
  seed: number;
  pool: Pool;
  targets: Target[];
  printOptions: mx.PrintOptions;
  liveBefore: number;
}

/** Makes the pool and settles the limits; run once per process, after mx.init(). */
export function startFuzz(seed: number): Fuzz {
  mx.setMemoryLimit(FUZZ_MEMORY_LIMIT);
  const pool = makePool();
  return { seed, pool, targets: targets(), printOptions: mx.getPrintoptions(), liveBefore: mx.memory().liveArrays };
}

const OP_ERROR = /^\[[A-Za-z0-9_:.]+\] /;

/** Arrays in a result (any nesting of lists and plain objects). */
function leaves(x: unknown, out: mx.Array[] = [], depth = 0): mx.Array[] {
  if (x instanceof mx.Array) out.push(x);
  else if (depth < 4 && Array.isArray(x)) for (const v of x) leaves(v, out, depth + 1);
  else if (depth < 4 && x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) leaves(v, out, depth + 1);
  }
  return out;
}

/** Shape, dtype and the first values of each result array (complex as re, im pairs). */
function digest(result: unknown): unknown {
  const arrays = leaves(result);
  if (arrays.length === 0) {
    if (typeof result === 'number' || typeof result === 'boolean' || typeof result === 'string' || result == null) return { value: result };
    return { type: typeof result };
  }
  return arrays.map((a) => {
    const flat: number[] = [];
    const walk = (v: unknown): void => {
      if (flat.length >= 32) return;
      if (Array.isArray(v)) for (const c of v) walk(c);
      else if (typeof v === 'object' && v !== null) flat.push((v as { re: number }).re, (v as { im: number }).im);
      else flat.push(Number(v));
    };
    walk(a.size <= 4096 ? a.tolist() : []);
    return { shape: a.shape, dtype: String(a.dtype), size: a.size, values: flat };
  });
}

/** Puts back the global settings a call may change, so the next call starts the same. */
function restore(f: Fuzz): void {
  mx.enableCompile();
  mx.setMemoryLimit(FUZZ_MEMORY_LIMIT);
  mx.setCacheLimit(CACHE_LIMIT);
  mx.setPrintoptions(f.printOptions);
}

/** Runs call `i` of the fuzz's seed. */
export async function runCall(f: Fuzz, i: number): Promise<Outcome> {
  const r = rng(f.seed, i);
  const target = f.targets[Math.floor(r() * f.targets.length)]!;
  const args = argsFor(r, f.pool, target.fn.length);
  const call = `mx.${target.name}(${args.map((a) => a.text).join(', ')})`;
  const out: Outcome = { i, name: target.name, kind: 'ok', call, ms: 0 };
  mx.random.seed(i); // random ops draw the same numbers on every backend
  const t0 = performance.now();
  let result: unknown;
  try {
    result = mx.tidy(() => {
      const v = target.fn(...args.map((a) => a.value));
      // Evaluate here so kernel errors count against this call.
      const arrays = leaves(v);
      if (arrays.length > 0) mx.eval(arrays);
      return v;
    });
    if (result instanceof Promise) result = await result;
    out.digest = digest(result);
  } catch (e) {
    if (!(e instanceof Error)) {
      out.kind = 'non-error';
      out.message = String(e).slice(0, 300);
    } else {
      out.kind = OP_ERROR.test(e.message) ? 'op-error' : 'raw-error';
      out.message = `${e.constructor.name}: ${e.message.slice(0, 300)}`;
    }
  }
  out.ms = performance.now() - t0;
  // Free what the call returned (never a pool array: some functions return their argument).
  const own = new Set(f.pool.arrays);
  for (const a of leaves(result)) if (!own.has(a) && !a.isDisposed) a.dispose();
  try {
    restore(f);
  } catch (e) {
    out.kind = 'corrupt';
    out.message = `restoring the settings failed: ${(e as Error).message}`;
  }
  for (let k = 0; k < f.pool.arrays.length; k++) {
    const a = f.pool.arrays[k]!;
    const now = a.isDisposed ? 'disposed' : snapshot(a);
    if (now !== f.pool.snapshots[k]) {
      out.kind = 'corrupt';
      out.message = `pool array ${f.pool.names[k]} changed: ${now.slice(0, 200)}`;
      f.pool = makePool(); // go on with a fresh pool
      f.liveBefore = mx.memory().liveArrays;
      break;
    }
  }
  const live = mx.memory().liveArrays;
  // Fewer live arrays than before is not this call's doing: an earlier call's arrays that a
  // finalizer or an async eval released late. Start counting from here.
  if (live < f.liveBefore) f.liveBefore = live;
  if (out.kind !== 'corrupt' && live !== f.liveBefore) {
    out.kind = 'leak';
    out.message = `${live - f.liveBefore} live arrays left (${out.message ?? 'returned'})`;
    f.liveBefore = live; // count each leak once
  }
  return out;
}

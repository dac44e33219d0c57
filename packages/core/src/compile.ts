/**
 * compile: the function is traced once per input signature into a graph of primitives that
 * the core simplifies (equivalent nodes merged) and fuses (element-wise chains run as one
 * kernel, one pass over memory); later calls replay it without running the JS function.
 */
import { MxArray } from './array.js';
import type { Backend, Handle } from './backend.js';
import { hostFunction } from './closure.js';
import { backendOf } from './operands.js';
import { currentBackend } from './registry.js';
import { type Tree, arrayLeaves, replaceArrays } from './tree.js';

export interface CompileOptions {
  /** Retrace only when the inputs' number of dimensions or dtypes change (default false). */
  shapeless?: boolean;
}

interface Entry {
  backend: Backend;
  handle: Handle;
  outStructure: Tree;
}

/** Frees the core closures of compiled functions that were garbage-collected. */
const finalizer = new FinalizationRegistry<Entry[]>((entries) => {
  for (const e of entries) {
    try {
      e.backend.closureFree(e.handle);
    } catch {
      // Nothing to report to from a finalizer.
    }
  }
});

/**
 * A key for everything about the arguments except the arrays' values (shapes and dtypes are
 * the core's business): the tree structure and the non-array leaves.
 */
function structureKey(args: readonly unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) => (v instanceof MxArray ? '\u0000array' : v));
}

/** A compiled function; `dispose()` frees its traced graphs now instead of at garbage collection. */
export interface CompiledFunction<A extends unknown[]> {
  (...args: A): Tree;
  dispose(): void;
}

/**
 * `compile(fn, {shapeless})`: the same results as fn, traced once per signature. The traced
 * graphs (and any constants fn captured) live until `dispose()` or garbage collection.
 */
export function compile<A extends unknown[]>(fn: (...args: A) => Tree, options: CompileOptions = {}): CompiledFunction<A> {
  const shapeless = options.shapeless ?? false;
  const entries = new Map<string, Entry>();
  const all: Entry[] = [];
  const compiled = (...args: A): Tree => {
    const leaves = arrayLeaves(args);
    if (leaves.length === 0) throw new Error('[compile] The function needs at least one array argument.');
    const backend = backendOf('compile', ...leaves);
    const key = `${backend.name}|${structureKey(args)}`;
    let entry = entries.get(key);
    if (entry === undefined) {
      const made: Entry = { backend, handle: 0, outStructure: null };
      const traced = (xs: MxArray[]): MxArray[] => {
        const out = fn(...(replaceArrays(args, xs) as A));
        made.outStructure = out;
        return arrayLeaves(out);
      };
      const c = backend.closureNew(hostFunction(backend, traced));
      try {
        made.handle = backend.compile(c, shapeless);
      } finally {
        backend.closureFree(c);
      }
      entry = made;
      entries.set(key, made);
      all.push(made);
    }
    const outs = entry.backend.closureApply(
      entry.handle,
      leaves.map((x) => x.handle),
    );
    return replaceArrays(entry.outStructure, outs.map((h) => new MxArray(entry!.backend, h)));
  };
  const result = compiled as CompiledFunction<A>;
  result.dispose = () => {
    finalizer.unregister(result);
    for (const e of all.splice(0)) e.backend.closureFree(e.handle);
    entries.clear();
  };
  finalizer.register(result, all, result);
  return result;
}

/** Primitives the core has evaluated so far: a diagnostic (a fused chain counts once). */
export function kernelCount(): number {
  return currentBackend().kernelCount();
}

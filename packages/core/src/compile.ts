/**
 * compile: the function is traced once per input signature into a graph of primitives that
 * the core simplifies (equivalent nodes merged) and fuses (element-wise chains run as one
 * kernel, one pass over memory); later calls replay it without running the JS function.
 *
 * State, as MLX: `inputs` and `outputs` are trees (a module's state, an optimizer's state,
 * mx.random.state) captured implicitly. Their arrays are extra inputs of every call; while
 * tracing, placeholders stand in for them inside the trees (and the real arrays are put back
 * afterwards); the arrays found in `outputs` after the function ran become extra outputs,
 * written back into those trees after each call, where the new arrays replace (and free,
 * under the ownership rule) the old ones.
 */
import { checkFunction, checkOptions } from './arg-checks.js';
import { MxArray } from './array.js';
import type { Backend, Handle } from './backend.js';
import { hostFunction } from './closure.js';
import { backendOf } from './operands.js';
import { hold, release, withoutOwnership, withTracingState } from './ownership.js';
import { currentBackend } from './registry.js';
import { arrayLeaves, isPlainObject, replaceArrays, type Tree, viewOf } from './tree.js';

export interface CompileOptions {
  /** Retrace only when the inputs' number of dimensions or dtypes change (default false). */
  shapeless?: boolean;
  /** Trees whose arrays are implicit inputs (e.g. `[model.state, opt.state, mx.random.state]`). */
  inputs?: Tree;
  /** Trees whose arrays, after the function ran, are implicit outputs written back after each call. */
  outputs?: Tree;
}

/** Traces kept per compiled function: a changing JS number (a constant) retraces, and the oldest goes. */
export const MAX_TRACES = 32;

interface Entry {
  backend: Backend;
  handle: Handle;
  outStructure: Tree;
  numOutputs: number;
  numState: number;
  /** Arrays the trace left in the state trees, freed once the trace is over. */
  leftovers: MxArray[];
}

/** Frees the core closures of compiled functions that were garbage-collected. */
const finalizer = new FinalizationRegistry<Map<string, Entry>>((entries) => {
  for (const e of entries.values()) {
    try {
      e.backend.closureFree(e.handle);
    } catch {
      // Nothing to report to from a finalizer.
    }
  }
});

/**
 * A key for everything about the arguments except the arrays' values (shapes and dtypes are
 * the core's business): the tree structure and the non-array leaves (JS numbers are constants).
 */
function structureKey(args: readonly unknown[]): string {
  // Arrays are replaced before JSON.stringify sees them: it would call their toJSON (which
  // reads the values) before any replacer.
  const strip = (v: unknown): unknown => {
    if (v instanceof MxArray) return '\u0000array';
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
  };
  return JSON.stringify(strip(args));
}

/** Where an array of a state tree sits: writing `container[key]` replaces it. */
interface Slot {
  container: Record<string | number, unknown>;
  key: string | number;
  value: MxArray;
  path: string;
}

/** The array slots of a state tree (Modules through their state view, which writes the module). */
function stateSlots(tree: Tree): Slot[] {
  const out: Slot[] = [];
  const visit = (t: unknown, path: string): void => {
    const n = viewOf(t) ?? t;
    const entries: [string | number, unknown][] = Array.isArray(n)
      ? Array.from({ length: n.length }, (_v, i) => [i, (n as unknown[])[i]])
      : isPlainObject(n)
        ? Object.keys(n).map((k) => [k, n[k]])
        : [];
    for (const [k, v] of entries) {
      const p = `${path}.${k}`;
      if (v instanceof MxArray) out.push({ container: n as Record<string | number, unknown>, key: k, value: v, path: p });
      else visit(v, p);
    }
  };
  visit(tree, '');
  return out;
}

/**
 * Writes a compiled call's new state array into its slot. Modules and mx.random.state move
 * ownership themselves (the new array's holder count goes up); plain containers (optimizer
 * state, user trees) get the same rule here: the new array is held, the old one let go of,
 * and freed unless something else holds or keeps it or it is an argument of the call.
 */
function writeBack(slot: Slot, value: MxArray, args: ReadonlySet<MxArray>): void {
  const old = slot.container[slot.key];
  if (old === value) return;
  const before = value.holders;
  slot.container[slot.key] = value;
  if (value.holders > before) return;
  hold(value);
  if (!(old instanceof MxArray)) return;
  if (args.has(old)) {
    if (old.holders > 0) old.holders--;
  } else release(old, 'a compiled call replaced it (outputs)');
}

/** Errors from inside a compiled function name compile. */
function compileError(e: unknown): unknown {
  if (!(e instanceof Error) || e.message.startsWith('[compile]')) return e;
  if (e.message.startsWith('[eval] Attempting to evaluate an array without a value')) {
    return new Error(
      '[compile] Attempting to evaluate an array without a value: inside compile the inputs are placeholders, so eval, item() and tolist() cannot be used on arrays computed from them (pass numbers as JS numbers, or compute the value outside).',
      { cause: e },
    );
  }
  return new Error(`[compile] ${e.message}`, { cause: e });
}

let compileEnabled = true;

/**
 * Turns compile off globally, as MLX's disable_compile: every compiled function (made before
 * or after) then calls its function directly, uncompiled, until enableCompile(). Useful to
 * debug a compiled function (eval, item() and printing work again inside it).
 */
export function disableCompile(): void {
  compileEnabled = false;
}

/** Turns compile back on after disableCompile() (MLX's enable_compile). */
export function enableCompile(): void {
  compileEnabled = true;
}

/** What a trace runs: the compiled function holds it; the core's host function only weakly. */
interface TraceTarget {
  fn: (...args: unknown[]) => Tree;
  inputs: Tree | undefined;
  outputs: Tree | undefined;
}

/**
 * Traces `target.fn` on `args`' signature into a new core compiled closure. The host function
 * handed to the core is held by the host function table (a GC root) for as long as the trace
 * lives, so it must not reach the compiled function: user code usually keeps the compiled
 * function in the scope fn closes over, and a strong path would keep both alive forever and
 * the finalizer would never run. It reaches fn through a WeakRef, and this function lives
 * outside compile() so that no scope shared with the compiled function is captured.
 */
function trace(
  targetRef: WeakRef<TraceTarget>,
  backend: Backend,
  args: readonly unknown[],
  inSlots: Slot[],
  originals: ReadonlySet<MxArray>,
  shapeless: boolean,
): Entry {
  const made: Entry = { backend, handle: 0, outStructure: null, numOutputs: 0, numState: 0, leftovers: [] };
  const nArgs = arrayLeaves(args as Tree).length;
  const traced = (xs: MxArray[]): MxArray[] => {
    const target = targetRef.deref();
    if (target === undefined) throw new Error('[compile] The compiled function was garbage-collected.');
    const { fn, inputs, outputs } = target;
    withoutOwnership(() => inSlots.forEach((s, i) => (s.container[s.key] = xs[nArgs + i])));
    try {
      return withTracingState(() => {
        const out = fn(...(replaceArrays(args as Tree, xs.slice(0, nArgs)) as unknown[]));
        made.outStructure = out;
        const leaves = arrayLeaves(out);
        const state = outputs === undefined ? [] : stateSlots(outputs).map((s) => s.value);
        made.numOutputs = leaves.length;
        made.numState = state.length;
        return [...leaves, ...state];
      });
    } finally {
      withoutOwnership(() => {
        // What the trace stored in the trees belongs to the trace: no holder keeps it, and it
        // is freed once the trace is done (after its outputs were taken). The real arrays go
        // back where the placeholders were.
        for (const tree of [inputs, outputs]) {
          if (tree === undefined) continue;
          for (const s of stateSlots(tree)) {
            if (originals.has(s.value)) continue;
            s.value.holders = 0;
            made.leftovers.push(s.value);
          }
        }
        inSlots.forEach((s) => (s.container[s.key] = s.value));
      });
    }
  };
  const c = backend.closureNew(hostFunction(backend, traced));
  try {
    made.handle = backend.compile(c, shapeless);
  } finally {
    backend.closureFree(c);
  }
  return made;
}

/** A compiled function; `dispose()` frees its traced graphs now instead of at garbage collection. */
export interface CompiledFunction<A extends unknown[]> {
  (...args: A): Tree;
  dispose(): void;
}

/**
 * `compile(fn, { shapeless, inputs, outputs })`: the same results as fn, traced once per
 * signature. JS numbers among the arguments are constants (a new value traces again; at most
 * MAX_TRACES traces are kept, the least recently used go): pass an array for a value that
 * changes. The traced graphs (and any constants fn captured) live until `dispose()` or
 * garbage collection.
 */
export function compile<A extends unknown[]>(fn: (...args: A) => Tree, options: CompileOptions = {}): CompiledFunction<A> {
  checkFunction('compile', 'fn', fn);
  checkOptions('compile', options);
  const shapeless = options.shapeless ?? false;
  const { inputs, outputs } = options;
  const entries = new Map<string, Entry>();

  // The traces reach fn and the state trees only through this WeakRef (see trace()).
  const target: TraceTarget = { fn: fn as (...args: unknown[]) => Tree, inputs, outputs };
  const targetRef = new WeakRef(target);

  const compiled = (...args: A): Tree => {
    // disableCompile(): run fn as it is, reading and writing its state trees directly.
    if (!compileEnabled) return target.fn(...args);
    const argLeaves = arrayLeaves(args);
    const inSlots = inputs === undefined ? [] : stateSlots(inputs);
    const outPaths = outputs === undefined ? '' : stateSlots(outputs).map((s) => s.path).join(',');
    const all = [...argLeaves, ...inSlots.map((s) => s.value)];
    const backend = all.length > 0 ? backendOf('compile', ...all) : currentBackend();
    const key = `${backend.name}|${structureKey(args)}|${inSlots.map((s) => s.path).join(',')}|${outPaths}`;
    let outs: MxArray[];
    let entry = entries.get(key);
    try {
      if (entry === undefined) {
        const originals = new Set<MxArray>([...all, ...(outputs === undefined ? [] : stateSlots(outputs).map((s) => s.value))]);
        entry = trace(targetRef, backend, args, inSlots, originals, shapeless);
        if (entries.size >= MAX_TRACES) {
          const [oldest, e] = entries.entries().next().value as [string, Entry];
          entries.delete(oldest);
          e.backend.closureFree(e.handle);
        }
      } else entries.delete(key);
      entries.set(key, entry);
      const e = entry;
      try {
        outs = e.backend.closureApply(e.handle, all.map((x) => x.handle)).map((h) => new MxArray(e.backend, h));
      } finally {
        // The core traces on the first call: what the trace left behind goes now.
        for (const x of e.leftovers.splice(0)) if (!x.kept) x.dispose();
      }
    } catch (err) {
      throw compileError(err);
    }
    if (outputs !== undefined) {
      const slots = stateSlots(outputs);
      if (slots.length !== entry.numState) {
        throw new Error(`[compile] The outputs tree has ${slots.length} arrays but the trace found ${entry.numState}.`);
      }
      const argSet = new Set(argLeaves);
      slots.forEach((s, i) => writeBack(s, outs[entry!.numOutputs + i]!, argSet));
    }
    return replaceArrays(entry.outStructure, outs.slice(0, entry.numOutputs));
  };
  const result = compiled as CompiledFunction<A>;
  // Nothing the traced host functions can reach may lead back to `result`: the core holds
  // them (through the host function table, a GC root) until the traces are freed, and the
  // closures of this call share one scope. So dispose unregisters by a separate token and
  // never names `result`; otherwise the finalizer could never run.
  const token = {};
  result.dispose = () => {
    finalizer.unregister(token);
    for (const e of entries.values()) e.backend.closureFree(e.handle);
    entries.clear();
  };
  finalizer.register(result, entries, token);
  return result;
}

/** Primitives the core has evaluated so far: a diagnostic (a fused chain counts once). */
export function kernelCount(): number {
  return currentBackend().kernelCount();
}

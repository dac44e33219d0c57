/**
 * Transforms the user defines: customFunction (own vjp / jvp rules), customVjp and
 * checkpoint. The functions run as core closures; the core keeps the rule closures alive
 * for as long as a graph refers to them and then releases them.
 */
import { MxArray } from './array.js';
import type { Backend, Handle } from './backend.js';
import { hostFunction } from './closure.js';
import { DtypeCode } from './opcodes.js';
import { backendOf } from './operands.js';
import { type Tree, arrayLeaves, replaceArrays } from './tree.js';

/** vjpFn(primals, cotangents, outputs) -> cotangents in the primals' structure. */
export type VjpFn = (primals: Tree, cotangents: Tree, outputs: Tree) => Tree;
/** jvpFn(primals, tangents) -> tangents in the outputs' structure. */
export type JvpFn = (primals: Tree, tangents: Tree) => Tree;
/**
 * vmapFn(inputs, axes) -> [outputs, outAxes]: inputs arrive batched, with `axes` in their
 * structure (a number, or null for an unbatched input); outAxes gives each output's batch
 * axis (null: not batched) in the outputs' structure.
 */
export type VmapFn = (inputs: Tree, axes: Tree) => [Tree, Tree];

export interface CustomFunction<A extends unknown[]> {
  (...args: A): Tree;
  /** Sets the reverse-mode rule; returns the same function. */
  vjp(fn: VjpFn): CustomFunction<A>;
  /** Sets the forward-mode rule; returns the same function. */
  jvp(fn: JvpFn): CustomFunction<A>;
  /** Sets the batching rule; returns the same function. */
  vmap(fn: VmapFn): CustomFunction<A>;
}

/** Output axes given as a number/null or a list: one value (-1 for null) per output leaf. */
function flattenAxes(axes: Tree, count: number): number[] {
  const list = Array.isArray(axes) ? (axes as unknown[]).flat(Infinity) : Array(count).fill(axes);
  if (list.length !== count) throw new Error(`[custom_function] The vmap function returned ${list.length} output axes for ${count} outputs.`);
  return list.map((a) => (a === null || a === undefined ? -1 : Number(a)));
}

/** The user-facing form of a list of args: the argument itself when there is one. */
const asUser = (args: readonly Tree[]): Tree => (args.length === 1 ? args[0] : args);

/** Makes a closure for `fn`, runs `body` with it and drops this handle (the core may keep its own). */
function withClosures<T>(
  backend: Backend,
  fns: (((xs: MxArray[]) => MxArray[]) | null)[],
  body: (handles: (Handle | null)[]) => T,
): T {
  const handles = fns.map((f) => (f === null ? null : backend.closureNew(hostFunction(backend, f))));
  try {
    return body(handles);
  } finally {
    for (const h of handles) if (h !== null) backend.closureFree(h);
  }
}

function leavesOf(op: string, args: readonly Tree[]): MxArray[] {
  const leaves = arrayLeaves(args);
  if (leaves.length === 0) throw new Error(`[${op}] The function needs at least one array argument.`);
  return leaves;
}

/** Checks that a rule returned arrays matching `expected` in number (and each its shape). */
function ruleOutputs(op: string, what: string, result: Tree, expected: readonly MxArray[]): MxArray[] {
  const flat = arrayLeaves(result);
  if (flat.length !== expected.length) {
    throw new Error(`[${op}] The ${what} function returned ${flat.length} arrays where ${expected.length} were expected.`);
  }
  return flat;
}

/**
 * `customFunction(fn)`: a function computing fn whose derivatives come from rules set with
 * `.vjp(...)` and `.jvp(...)`; a transform without a rule differentiates fn itself.
 */
export function customFunction<A extends unknown[]>(fn: (...args: A) => Tree): CustomFunction<A> {
  let vjpFn: VjpFn | null = null;
  let jvpFn: JvpFn | null = null;
  let vmapFn: VmapFn | null = null;

  const call = (...args: A): Tree => {
    const op = 'custom_function';
    const leaves = leavesOf(op, args);
    const backend = backendOf(op, ...leaves);
    let outStructure: Tree = null;
    let outLeaves: MxArray[] = [];

    const forward = (xs: MxArray[]): MxArray[] => {
      const out = fn(...(replaceArrays(args, xs) as A));
      outStructure = out;
      outLeaves = arrayLeaves(out);
      if (outLeaves.length === 0) throw new Error(`[${op}] The function must return at least one array.`);
      return outLeaves;
    };
    const n = leaves.length;
    const vjpRule =
      vjpFn === null
        ? null
        : (xs: MxArray[]): MxArray[] => {
            const m = outLeaves.length;
            const primals = replaceArrays(args, xs.slice(0, n)) as Tree[];
            const cots = replaceArrays(outStructure, xs.slice(n, n + m));
            const outs = replaceArrays(outStructure, xs.slice(n + m));
            return ruleOutputs(op, 'vjp', vjpFn!(asUser(primals), cots, outs), leaves);
          };
    const jvpRule =
      jvpFn === null
        ? null
        : (xs: MxArray[]): MxArray[] => {
            const primals = replaceArrays(args, xs.slice(0, n)) as Tree[];
            const tangents = replaceArrays(args, xs.slice(n)) as Tree[];
            return ruleOutputs(op, 'jvp', jvpFn!(asUser(primals), asUser(tangents)), outLeaves);
          };
    const vmapRule =
      vmapFn === null
        ? null
        : (xs: MxArray[]): MxArray[] => {
            const axesArray = xs[n]!;
            const axes = (axesArray.tolist() as number[]).map((a) => (a < 0 ? null : a));
            const inputs = replaceArrays(args, xs.slice(0, n)) as Tree[];
            const axesTree = replaceArrays(args, axes.map((a) => a as unknown as MxArray)) as Tree[];
            const [outs, outAxes] = vmapFn!(asUser(inputs), asUser(axesTree));
            const flatOuts = ruleOutputs(op, 'vmap', outs, outLeaves);
            const flatAxes = flattenAxes(outAxes, flatOuts.length);
            return [...flatOuts, new MxArray(backend, backend.fromData(Int32Array.from(flatAxes), [flatAxes.length], DtypeCode.int32))];
          };
    const outputs = withClosures(backend, [forward, vjpRule, jvpRule, vmapRule], ([f, v, j, m]) =>
      backend.customFunction(f!, v!, j!, m!, leaves.map((x) => x.handle)),
    );
    return replaceArrays(outStructure, outputs.map((h) => new MxArray(backend, h)));
  };

  const f = call as CustomFunction<A>;
  f.vjp = (rule: VjpFn) => {
    vjpFn = rule;
    return f;
  };
  f.jvp = (rule: JvpFn) => {
    jvpFn = rule;
    return f;
  };
  f.vmap = (rule: VmapFn) => {
    vmapFn = rule;
    return f;
  };
  return f;
}

/** Shorthand for `customFunction(fn).vjp(vjpFn)`. */
export function customVjp<A extends unknown[]>(fn: (...args: A) => Tree, vjpFn: VjpFn): CustomFunction<A> {
  return customFunction(fn).vjp(vjpFn);
}

/**
 * `checkpoint(fn)`: the same values and gradients as fn, but differentiating recomputes
 * fn's intermediates from its inputs instead of keeping them from the forward pass (fn runs
 * twice): memory for time.
 */
export function checkpoint<A extends unknown[]>(fn: (...args: A) => Tree): (...args: A) => Tree {
  return (...args: A): Tree => {
    const op = 'checkpoint';
    const leaves = leavesOf(op, args);
    const backend = backendOf(op, ...leaves);
    let outStructure: Tree = null;
    const forward = (xs: MxArray[]): MxArray[] => {
      const out = fn(...(replaceArrays(args, xs) as A));
      outStructure = out;
      return arrayLeaves(out);
    };
    const outputs = withClosures(backend, [forward], ([f]) => backend.checkpoint(f!, leaves.map((x) => x.handle)));
    return replaceArrays(outStructure, outputs.map((h) => new MxArray(backend, h)));
  };
}

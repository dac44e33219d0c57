/**
 * vmap: vectorises a function over a batch axis. The core traces the function on
 * placeholders and rewrites the graph with each primitive's batching rule; this file maps
 * tree-prefix axes onto the flat list of arrays and places the output batch axes.
 */
import { MxArray } from './array.js';
import type { Handle } from './backend.js';
import { hostFunction } from './closure.js';
import { tidy } from './memory.js';
import { backendOf } from './operands.js';
import { broadcastTo, reshape, transpose } from './ops/shape.js';
import { type Tree, arrayLeaves, replaceArrays } from './tree.js';

/** An axis for every array leaf below it: a number, null (not mapped), or a tree prefix. */
export type AxisTree = number | null | undefined | readonly AxisTree[] | { readonly [key: string]: AxisTree };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** The axis of every array leaf of `tree`, following the prefix `axes`. */
function leafAxes(op: string, what: string, tree: Tree, axes: AxisTree): (number | null)[] {
  const out: (number | null)[] = [];
  const visit = (t: Tree, a: AxisTree, path: string): void => {
    if (a === undefined || a === null || typeof a === 'number') {
      for (let i = arrayLeaves(t).length; i > 0; i--) out.push(a ?? null);
      return;
    }
    if (Array.isArray(a)) {
      if (!Array.isArray(t) || t.length !== a.length) {
        throw new Error(`[${op}] ${what} ${path} is a list of ${a.length} but the value there is not a list of that length.`);
      }
      t.forEach((c, i) => visit(c, a[i] as AxisTree, `${path}[${i}]`));
      return;
    }
    if (isPlainObject(a) && isPlainObject(t)) {
      for (const k of Object.keys(t)) visit(t[k], (a as Record<string, AxisTree>)[k], `${path}.${k}`);
      return;
    }
    throw new Error(`[${op}] ${what} ${path} does not match the structure of the value.`);
  };
  visit(tree, axes, what);
  return out;
}

/** `x` with axis `from` moved to `to`. */
function moveAxis(x: MxArray, from: number, to: number): MxArray {
  if (from === to) return x;
  const order = [...Array(x.ndim).keys()].filter((i) => i !== from);
  order.splice(to, 0, from);
  return transpose(x, order);
}

/**
 * `vmap(fn, inAxes = 0, outAxes = 0)`: `fn` applied along an axis of its inputs. `inAxes`
 * gives each argument's mapped axis (a number for all arguments, or a list with one entry
 * per argument, each a number, null for not mapped, or a tree prefix of that argument);
 * `outAxes` places the batch axis of the outputs the same way.
 */
export function vmap<A extends unknown[]>(
  fn: (...args: A) => Tree,
  inAxes: AxisTree = 0,
  outAxes: AxisTree = 0,
): (...args: A) => Tree {
  return (...args: A): Tree => {
    const op = 'vmap';
    const perArg = Array.isArray(inAxes) ? inAxes : args.map(() => inAxes as AxisTree);
    if (perArg.length !== args.length) {
      throw new Error(`[${op}] in_axes has ${perArg.length} entries but the function was called with ${args.length} arguments.`);
    }
    const leaves = arrayLeaves(args);
    const axes = leafAxes(op, 'in_axes', args, perArg as AxisTree);
    const backend = backendOf(op, ...leaves);
    let batch = -1;
    axes.forEach((a, i) => {
      if (a !== null) {
        const nd = leaves[i]!.ndim;
        if (a < -nd || a >= nd) {
          throw new Error(`[${op}] Axis ${a} is out of bounds for input ${i} with ${nd} dimensions.`);
        }
        axes[i] = a < 0 ? a + nd : a;
        batch = leaves[i]!.shape[axes[i]!]!;
      }
    });

    let outStructure: Tree = null;
    const traced = (xs: MxArray[]): MxArray[] => {
      const out = fn(...(replaceArrays(args, xs) as A));
      outStructure = out;
      return arrayLeaves(out);
    };
    const c = backend.closureNew(hostFunction(backend, traced));
    let handles: Handle[];
    let got: number[];
    try {
      [handles, got] = backend.vmap(c, leaves.map((x) => x.handle), axes.map((a) => a ?? -1));
    } finally {
      backend.closureFree(c);
    }
    const outs = handles.map((h) => new MxArray(backend, h));
    const wanted = leafAxes(op, 'out_axes', outStructure, outAxes);
    const placed = outs.map((o, i) => {
      const want = wanted[i] ?? null;
      if (want === null) {
        if (got[i]! >= 0) throw new Error(`[${op}] out_axes is null for output ${i}, but that output is mapped.`);
        return o;
      }
      const nd = got[i]! < 0 ? o.ndim + 1 : o.ndim;
      if (want < -nd || want >= nd) {
        outs.forEach((x) => x.dispose());
        throw new Error(`[${op}] out_axes ${want} is out of bounds for output ${i} with ${nd} dimensions.`);
      }
      const placedOut = tidy(() => {
        // An output that no mapped input reaches is broadcast along a new batch axis.
        const x = got[i]! < 0 ? broadcastTo(reshape(o, [1, ...o.shape]), [batch, ...o.shape]) : o;
        return moveAxis(x, got[i]! < 0 ? 0 : got[i]!, want < 0 ? want + nd : want);
      });
      if (placedOut !== o) o.dispose();
      return placedOut;
    });
    return replaceArrays(outStructure, placed);
  };
}

import { MxArray } from './array.js';

/**
 * Internal trees of the transforms (eval, tidy, grad, vmap, compile): only the array leaves
 * matter, in a fixed order. MLX's path-based tree utilities are mx.utils (utils.ts).
 *
 * Trees: an array, a JS array of trees, or a plain object of trees. Other values (numbers,
 * strings, null, class instances) are non-array leaves: kept as they are, never visited.
 */
export type Tree = unknown;

/**
 * Objects that are trees without being plain objects (nn.Module) give their plain-object
 * view through this method, so eval, tidy and the tree functions see their arrays.
 */
export const treeView = Symbol.for('mlxjs.treeView');

export function viewOf(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { [treeView]?: unknown })[treeView] === 'function') {
    return (v as { [treeView]: () => unknown })[treeView]();
  }
  return undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The array leaves of a tree, depth-first, in key order. */
export function arrayLeaves(tree: Tree): MxArray[] {
  const out: MxArray[] = [];
  const visit = (t: Tree): void => {
    if (t instanceof MxArray) out.push(t);
    else if (Array.isArray(t)) for (const c of t) visit(c);
    else if (isPlainObject(t)) for (const k of Object.keys(t)) visit(t[k]);
    else {
      const view = viewOf(t);
      if (view !== undefined) visit(view);
    }
  };
  visit(tree);
  return out;
}

/** A copy of `tree` with each array leaf replaced by `fn(leaf)`; other leaves are kept. */
export function mapArrays(tree: Tree, fn: (x: MxArray) => unknown): Tree {
  if (tree instanceof MxArray) return fn(tree);
  if (Array.isArray(tree)) return tree.map((c) => mapArrays(c, fn));
  if (isPlainObject(tree)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(tree)) out[k] = mapArrays(tree[k], fn);
    return out;
  }
  const view = viewOf(tree);
  return view !== undefined ? mapArrays(view, fn) : tree;
}

/**
 * The inverse of arrayLeaves: `structure`'s array leaves replaced, in flatten order, by
 * `leaves`. Throws when the counts differ.
 */
export function replaceArrays(structure: Tree, leaves: readonly unknown[]): Tree {
  let i = 0;
  const out = mapArrays(structure, () => {
    if (i >= leaves.length) throw new Error('[tree_unflatten] Too few leaves for the structure.');
    return leaves[i++];
  });
  if (i !== leaves.length) throw new Error('[tree_unflatten] Too many leaves for the structure.');
  return out;
}

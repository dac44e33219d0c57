/**
 * Dotted-path views of nested parameter trees (`'layers.0.weight'`), as MLX's tree_flatten /
 * tree_unflatten give them: what loadWeights/saveWeights and freeze's default keys need.
 * Modules are read as the plain objects of their public properties.
 */
import * as mx from '@mlxjs/core';

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** `[path, leaf]` pairs of a nested tree; `isLeaf` stops the descent early. */
export function flattenWithPaths(
  tree: unknown,
  prefix = '',
  isLeaf: (v: unknown) => boolean = () => false,
): [string, unknown][] {
  const out: [string, unknown][] = [];
  const visit = (t: unknown, path: string): void => {
    const join = (k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);
    if (isLeaf(t)) out.push([path, t]);
    else if (Array.isArray(t)) t.forEach((c, i) => visit(c, join(i)));
    else if (isPlainObject(t)) for (const k of Object.keys(t)) visit(t[k], join(k));
    else out.push([path, t]);
  };
  visit(tree, prefix);
  return out;
}

/** The array leaves with their paths (empty containers give nothing). */
export function arrayPaths(tree: unknown): [string, mx.Array][] {
  return flattenWithPaths(tree).filter((p): p is [string, mx.Array] => p[1] instanceof mx.Array);
}

/**
 * The tree that `[path, value]` pairs describe: a level whose keys are all integers becomes a
 * JS array (as MLX's tree_unflatten does), others plain objects.
 */
export function unflattenPaths(pairs: readonly (readonly [string, unknown])[]): unknown {
  const root: Record<string, unknown> = {};
  for (const [path, value] of pairs) {
    const parts = path.split('.');
    let node = root;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else node = (node[p] ??= {}) as Record<string, unknown>;
    });
  }
  const listify = (t: unknown): unknown => {
    if (!isPlainObject(t)) return t;
    const keys = Object.keys(t);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      const out: unknown[] = [];
      for (const k of keys) out[Number(k)] = listify(t[k]);
      for (let i = 0; i < out.length; i++) if (!(i in out)) out[i] = {};
      return out;
    }
    const o: Record<string, unknown> = {};
    for (const k of keys) o[k] = listify(t[k]);
    return o;
  };
  return listify(root);
}

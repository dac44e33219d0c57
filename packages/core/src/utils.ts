/**
 * mx.utils: MLX's tree utilities (mlx.utils) with MLX's semantics. A tree is a JS array, a
 * plain object or an nn.Module (seen as the plain object of its members, as MLX's Module is a
 * dict) of trees; anything else is a leaf, unless `isLeaf` says otherwise. Paths are dotted
 * (`'layers.0.weight'`), list positions as integers.
 */
import { isPlainObject, viewOf } from './tree.js';

export type IsLeaf = (node: unknown) => boolean;

/** Options that MLX passes as keyword arguments. */
export interface TreeOptions {
  isLeaf?: IsLeaf;
}

/** The plain object a Module stands for; other values unchanged. */
function node(v: unknown): unknown {
  return viewOf(v) ?? v;
}

const isDict = (v: unknown): v is Record<string, unknown> => isPlainObject(v);

/**
 * MLX's keyword `is_leaf` as a trailing `{ isLeaf }`: a last argument that is a plain object
 * whose only key is `isLeaf`, holding a function, is the options, never a tree.
 */
function splitOptions(rest: unknown[]): [unknown[], IsLeaf | undefined] {
  const last = rest[rest.length - 1];
  if (isDict(last)) {
    const keys = Object.keys(last);
    if (keys.length === 1 && keys[0] === 'isLeaf' && typeof last.isLeaf === 'function') {
      return [rest.slice(0, -1), last.isLeaf as IsLeaf];
    }
  }
  return [rest, undefined];
}

function child(tree: unknown, key: string | number, op: string): unknown {
  const t = node(tree);
  if ((Array.isArray(t) && typeof key === 'number' && key < t.length) || (isDict(t) && Object.hasOwn(t, key))) {
    return (t as Record<string | number, unknown>)[key];
  }
  throw new Error(`[${op}] The trees do not have the same structure: no "${key}" in ${t === null ? 'null' : typeof t}.`);
}

/**
 * `treeMap(fn, tree, ...rest)`: a tree of the same structure as `tree` with each leaf `x`
 * replaced by `fn(x, ...restLeaves)`, where `rest` are trees with (at least) tree's
 * structure: at a leaf of `tree`, fn receives their whole subtrees there. A trailing
 * `{ isLeaf }` is MLX's keyword.
 */
export function treeMap(fn: (...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const [trees, isLeaf] = splitOptions(rest);
  const visit = (t: unknown, others: unknown[]): unknown => {
    if (isLeaf?.(t)) return fn(t, ...others);
    const n = node(t);
    if (Array.isArray(n)) return n.map((c, i) => visit(c, others.map((r) => child(r, i, 'tree_map'))));
    if (isDict(n)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(n)) out[k] = visit(n[k], others.map((r) => child(r, k, 'tree_map')));
      return out;
    }
    return fn(t, ...others);
  };
  return visit(tree, trees);
}

/** `treeMapWithPath(fn, tree, ...rest)`: treeMap whose fn also receives the leaf's path first. */
export function treeMapWithPath(fn: (path: string, ...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const [trees, isLeaf] = splitOptions(rest);
  const visit = (t: unknown, others: unknown[], path: string): unknown => {
    if (isLeaf?.(t)) return fn(path, t, ...others);
    const n = node(t);
    const prefix = path === '' ? '' : `${path}.`;
    if (Array.isArray(n)) return n.map((c, i) => visit(c, others.map((r) => child(r, i, 'tree_map_with_path')), `${prefix}${i}`));
    if (isDict(n)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(n)) out[k] = visit(n[k], others.map((r) => child(r, k, 'tree_map_with_path')), `${prefix}${k}`);
      return out;
    }
    return fn(path, t, ...others);
  };
  return visit(tree, trees, '');
}

export interface FlattenOptions extends TreeOptions {
  /**
   * Prepended to every path. As in MLX its first character is dropped (MLX writes
   * `'.hello'` to get `'hello.0'`); the default '' gives paths without a prefix.
   */
  prefix?: string;
}

/**
 * `treeFlatten(tree, { prefix, isLeaf })`: the `[path, leaf]` pairs of a tree, depth-first,
 * in key order: `treeFlatten([[[0]]])` is `[['0.0.0', 0]]`; a leaf alone is `[['', leaf]]`;
 * empty lists and objects give nothing.
 */
export function treeFlatten<L = any>(tree: unknown, options: FlattenOptions = {}): [string, L][] {
  const { prefix = '', isLeaf } = options;
  const out: [string, L][] = [];
  const visit = (t: unknown, path: string): void => {
    if (!isLeaf?.(t)) {
      const n = node(t);
      if (Array.isArray(n)) {
        n.forEach((c, i) => visit(c, `${path}.${i}`));
        return;
      }
      if (isDict(n)) {
        for (const k of Object.keys(n)) visit(n[k], `${path}.${k}`);
        return;
      }
    }
    out.push([path.slice(1), t as L]);
  };
  visit(tree, prefix);
  return out;
}

/**
 * `treeUnflatten(pairs)`: the tree that treeFlatten's pairs describe. A level whose first
 * key is an integer is a JS array (missing positions are `{}`), otherwise a plain object;
 * a single pair with path '' is that leaf.
 */
export function treeUnflatten(pairs: readonly (readonly [string, unknown])[]): any {
  if (pairs.length === 0) return {};
  if (pairs.length === 1 && pairs[0]![0] === '') return pairs[0]![1];
  const first = pairs[0]![0].split('.', 1)[0]!;
  const isList = /^[+-]?\d+$/.test(first.trim());
  const children = new Map<string, [string, unknown][]>();
  for (const [key, value] of pairs) {
    const dot = key.indexOf('.');
    const head = dot < 0 ? key : key.slice(0, dot);
    const tail = dot < 0 ? '' : key.slice(dot + 1);
    let list = children.get(head);
    if (list === undefined) children.set(head, (list = []));
    list.push([tail, value]);
  }
  if (isList) {
    const keys = [...children.keys()].map((k) => [Number.parseInt(k, 10), k] as const);
    if (keys.some(([i]) => Number.isNaN(i))) throw new Error('[tree_unflatten] A list level mixes integer and other keys.');
    keys.sort((a, b) => a[0] - b[0]);
    const out: unknown[] = [];
    for (const [i, k] of keys) {
      while (out.length < i) out.push({});
      out.push(treeUnflatten(children.get(k)!));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of children) out[k] = treeUnflatten(v);
  return out;
}

/**
 * `treeReduce(fn, tree, initializer, { isLeaf })`: folds `fn(accumulator, leaf)` over the
 * leaves in flatten order. Without an initializer the first leaf starts the accumulation.
 */
export function treeReduce<T = any>(fn: (acc: T, leaf: any) => T, tree: unknown, initializer?: T, options: TreeOptions = {}): T {
  const { isLeaf } = options;
  const visit = (t: unknown, acc: T | undefined): T | undefined => {
    if (isLeaf?.(t)) return acc === undefined ? (t as T) : fn(acc, t);
    const n = node(t);
    if (Array.isArray(n)) {
      for (const c of n) acc = visit(c, acc);
      return acc;
    }
    if (isDict(n)) {
      for (const k of Object.keys(n)) acc = visit(n[k], acc);
      return acc;
    }
    return acc === undefined ? (t as T) : fn(acc, t);
  };
  return visit(tree, initializer) as T;
}

const isEmpty = (t: unknown): boolean => (Array.isArray(t) && t.length === 0) || (isDict(t) && Object.keys(t).length === 0);

/**
 * `treeMerge(a, b, mergeFn?)`: one tree holding the leaves of both. Empty containers and
 * null/undefined count as absent; lists merge position by position, objects key by key;
 * where both have a leaf, `mergeFn(a, b)` decides (without one that is an Error).
 */
export function treeMerge(treeA: unknown, treeB: unknown, mergeFn?: (a: unknown, b: unknown) => unknown): any {
  let a = node(treeA);
  let b = node(treeB);
  if (isEmpty(a)) a = undefined;
  if (isEmpty(b)) b = undefined;
  const absent = (v: unknown): boolean => v === undefined || v === null;
  if (absent(a) && !absent(b)) return b;
  if (!absent(a) && absent(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_v, i) => treeMerge(a[i], b[i], mergeFn));
  }
  if (isDict(a) && isDict(b)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = treeMerge(a[k], b[k], mergeFn);
    return out;
  }
  if (mergeFn === undefined) {
    throw new Error('[tree_merge] Trees contain elements at the same locations but no merge function was provided.');
  }
  return mergeFn(a, b);
}

// mx.utils: MLX's tree utilities (mlx.utils), with the examples of MLX's docstrings and the
// cases MLX's test_tree.py checks.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const { treeFlatten, treeUnflatten, treeMap, treeMapWithPath, treeReduce, treeMerge } = mx.utils;

describeEachBackend('mx.utils trees', () => {
  it('treeFlatten gives [path, leaf] pairs with dotted paths', () => {
    expect(treeFlatten([[[0]]])).toEqual([['0.0.0', 0]]);
    // MLX drops the prefix's first character: '.hello' names the root 'hello'.
    expect(treeFlatten([[[0]]], { prefix: '.hello' })).toEqual([['hello.0.0.0', 0]]);
    expect(treeFlatten(5)).toEqual([['', 5]]);
    expect(treeFlatten({ a: [], b: {} })).toEqual([]);
    const tree = { w: [1, 'text', { z: null }], k: 4 };
    expect(treeFlatten(tree)).toEqual([['w.0', 1], ['w.1', 'text'], ['w.2.z', null], ['k', 4]]);
    // isLeaf stops the descent.
    expect(treeFlatten(tree, { isLeaf: (v) => Array.isArray(v) })).toEqual([['w', tree.w], ['k', 4]]);
    mx.tidy(() => {
      const a = mx.array([1]);
      expect(treeFlatten({ layers: [{ weight: a }] })).toEqual([['layers.0.weight', a]]);
    });
  });

  it('treeUnflatten inverts treeFlatten: integer keys make lists', () => {
    expect(treeUnflatten([['hello.world', 42]])).toEqual({ hello: { world: 42 } });
    expect(treeUnflatten([['0', 1], ['1', 2]])).toEqual([1, 2]);
    expect(treeUnflatten([['', 7]])).toBe(7);
    expect(treeUnflatten([['layers.2.w', 1], ['layers.0.w', 0], ['b', 3]])).toEqual({ layers: [{ w: 0 }, {}, { w: 1 }], b: 3 });
    const tree = { a: [1, { b: 2 }], c: { d: [3, 4] } };
    expect(treeUnflatten(treeFlatten(tree))).toEqual(tree);
  });

  it('treeMap maps leaves of several trees together; { isLeaf } is the keyword', () => {
    expect(treeMap((x: number) => x * 2, { a: [1, 2], b: 3 })).toEqual({ a: [2, 4], b: 6 });
    expect(treeMap((x: number, y: number, z: number) => x + y + z, [1, { q: 2 }], [10, { q: 20 }], [100, { q: 200 }])).toEqual([111, { q: 222 }]);
    // At a leaf of the first tree, the others pass their whole subtree.
    expect(treeMap((x: number, s: { m: number }) => x + s.m, { w: 1 }, { w: { m: 5 } })).toEqual({ w: 6 });
    const pairs = treeMap((v: unknown) => (Array.isArray(v) ? v.length : -1), { a: [1, 2], b: [3] }, { isLeaf: Array.isArray });
    expect(pairs).toEqual({ a: 2, b: 1 });
    expect(() => treeMap((x: number, y: number) => x + y, { a: 1 }, { b: 1 })).toThrow(/tree_map/);
    mx.tidy(() => {
      const out = treeMap((x: mx.Array) => x.multiply(2), { w: [mx.array([1]), mx.array([2])] }) as { w: mx.Array[] };
      expect(out.w.map((x) => x.item())).toEqual([2, 4]);
    });
  });

  it('treeMapWithPath passes the dotted path first', () => {
    expect(treeMapWithPath((p: string, x: number) => `${p}=${x}`, { a: [1, 2], b: { c: 3 } })).toEqual({ a: ['a.0=1', 'a.1=2'], b: { c: 'b.c=3' } });
    expect(treeMapWithPath((p: string, x: number, y: number) => `${p}:${x + y}`, [1], [2])).toEqual(['0:3']);
  });

  it('treeReduce folds the leaves in order', () => {
    expect(treeReduce((acc: number, x: number) => acc + x, { a: [1, 2], b: 3 }, 0)).toBe(6);
    expect(treeReduce((acc: string, x: string) => acc + x, ['a', { b: 'b', c: ['c'] }])).toBe('abc');
    expect(treeReduce((acc: number, x: number[]) => acc + x.length, { a: [1, 2], b: [3] }, 0, { isLeaf: Array.isArray })).toBe(3);
  });

  it('treeMerge joins disjoint trees and asks mergeFn where both have leaves', () => {
    expect(treeMerge({ a: 1 }, { b: { c: 2 } })).toEqual({ a: 1, b: { c: 2 } });
    expect(treeMerge([1, {}], [{}, 2])).toEqual([1, 2]);
    expect(treeMerge({ a: [] }, { a: [5] })).toEqual({ a: [5] });
    expect(() => treeMerge({ a: 1 }, { a: 2 })).toThrow('[tree_merge] Trees contain elements at the same locations but no merge function was provided.');
    expect(treeMerge({ a: 1 }, { a: 2 }, (x, y) => (x as number) + (y as number))).toEqual({ a: 3 });
  });

  it('a Module is the tree of its members', () => {
    const lin = new mx.nn.Linear(2, 3);
    const paths = treeFlatten(lin).map(([p]) => p);
    expect(paths).toEqual(['weight', 'bias']);
    expect(treeFlatten(new mx.nn.Sequential(lin)).map(([p]) => p)).toEqual(['layers.0.weight', 'layers.0.bias']);
    lin.dispose();
  });
});

// Tree helpers over arrays nested in JS arrays and plain objects.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('trees', () => {
  it('flattens depth-first in key order, skipping non-array leaves', () => {
    mx.tidy(() => {
      const a = mx.array([1]);
      const b = mx.array([2]);
      const c = mx.array([3]);
      const tree = { w: [a, 'text', { z: b }], n: null, k: 4, v: [[c]] };
      expect(mx.treeFlatten(tree)).toEqual([a, b, c]);
      expect(mx.treeFlatten(a)).toEqual([a]);
      expect(mx.treeFlatten([1, 'x', null])).toEqual([]);
    });
  });

  it('maps arrays and keeps the structure', () => {
    mx.tidy(() => {
      const tree = { w: [mx.array([1]), 'text'], v: { u: mx.array([2]) } };
      const doubled = mx.treeMap(tree, (x) => x.multiply(2)) as typeof tree;
      expect(doubled.w[1]).toBe('text');
      expect((doubled.w[0] as mx.Array).tolist()).toEqual([2]);
      expect(doubled.v.u.tolist()).toEqual([4]);
    });
  });

  it('unflattens leaves into a structure and checks the count', () => {
    mx.tidy(() => {
      const structure = [mx.array([0]), { k: mx.array([0]), s: 's' }];
      const leaves = [mx.array([5]), mx.array([6])];
      const rebuilt = mx.treeUnflatten(structure, leaves) as [mx.Array, { k: mx.Array; s: string }];
      expect(rebuilt[0]).toBe(leaves[0]);
      expect(rebuilt[1].k).toBe(leaves[1]);
      expect(rebuilt[1].s).toBe('s');
      expect(() => mx.treeUnflatten(structure, leaves.slice(1))).toThrow(/Too few/);
      expect(() => mx.treeUnflatten(structure, [...leaves, leaves[0]])).toThrow(/Too many/);
    });
  });
});

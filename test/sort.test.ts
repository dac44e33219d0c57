// Sorting: sort/argsort/topk values against NumPy (fixtures/gen_sort.py: stable sorts,
// NaNs last), partition properties, every dtype, views, axes, errors, gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import sortFixture from './fixtures/sort.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const F: any = sortFixture;

/** JSON numbers with NaN/infinities spelled as strings, back to numbers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const decode = (x: any): any =>
  Array.isArray(x) ? x.map(decode) : x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x;

/** Values as float64 nested lists (NaN compares equal to NaN under toEqual). */
const asF64 = (x: mx.Array): unknown => x.astype(mx.float64).tolist();

describeEachBackend('sort', () => {
  for (const c of F.cases) {
    it(`sort, argsort and topk match NumPy: ${c.name}`, () => {
      mx.tidy(() => {
        const x = mx.array(decode(c.x), c.dtype);
        const s = mx.sort(x, c.axis);
        expect(String(s.dtype)).toBe(c.dtype);
        expect(asF64(s)).toEqual(decode(c.sorted));
        const i = mx.argsort(x, c.axis);
        expect(i.dtype).toBe(mx.uint32);
        expect(i.tolist()).toEqual(c.argsort);
        const t = mx.topk(x, c.k, c.axis);
        expect(String(t.dtype)).toBe(c.dtype);
        expect(asF64(t)).toEqual(decode(c.topk));
      });
    });
  }

  it('partition / argpartition: kth in place, smaller before, larger after', () => {
    mx.tidy(() => {
      const data = [5, -1, 3, 3, 9, 0, 2, 8, -4, 7];
      const sorted = [...data].sort((a, b) => a - b);
      const x = mx.array(data);
      for (const kth of [0, 3, 5, 9, -1, -4]) {
        const k = kth < 0 ? kth + data.length : kth;
        const p = mx.partition(x, kth).tolist() as number[];
        expect(p[k]).toBe(sorted[k]);
        p.slice(0, k).forEach((v) => expect(v).toBeLessThanOrEqual(sorted[k]!));
        p.slice(k + 1).forEach((v) => expect(v).toBeGreaterThanOrEqual(sorted[k]!));
        expect([...p].sort((a, b) => a - b)).toEqual(sorted);
        const ip = mx.argpartition(x, kth).tolist() as number[];
        expect(ip.map((j) => data[j])).toEqual(p);
      }
      // Along axis 0 of a matrix, and flattened.
      const m = mx.array([[3, 1], [1, 2], [2, 0]]);
      const p0 = mx.partition(m, 1, 0).tolist() as number[][];
      expect(p0.map((r) => r[0])[1]).toBe(2);
      expect(p0.map((r) => r[1])[1]).toBe(1);
      expect((mx.partition(m, 0, null).tolist() as number[])[0]).toBe(0);
      // NaN counts as the largest.
      const n = mx.partition(mx.array([NaN, 1, 0]), 2).tolist() as number[];
      expect(Number.isNaN(n[2])).toBe(true);
    });
  });

  it('non-contiguous inputs: transposed and broadcast views', () => {
    mx.tidy(() => {
      const x = mx.array([[3, 1, 2], [9, 7, 8]]);
      expect(mx.sort(x.T, 0).tolist()).toEqual([[1, 7], [2, 8], [3, 9]]);
      expect(mx.argsort(x.T, -1).tolist()).toEqual([[0, 1], [0, 1], [0, 1]]);
      const b = mx.broadcastTo(mx.array([2, 0, 1]), [2, 3]);
      expect(mx.sort(b).tolist()).toEqual([[0, 1, 2], [0, 1, 2]]);
      expect(mx.topk(b, 2, 1).tolist()).toEqual([[1, 2], [1, 2]]);
      expect(mx.sort(mx.transpose(b), 1).tolist()).toEqual([[2, 2], [0, 0], [1, 1]]);
    });
  });

  it('axis as an options object', () => {
    mx.tidy(() => {
      const x = mx.array([[3, 1], [1, 2], [2, 0]]);
      expect(mx.sort(x, { axis: 0 }).tolist()).toEqual([[1, 0], [2, 1], [3, 2]]);
      expect(mx.argsort(x, { axis: null }).tolist()).toEqual([5, 1, 2, 3, 4, 0]);
      expect(mx.topk(x, 1, { axis: 0 }).tolist()).toEqual([[3, 2]]);
      expect(mx.partition(x, 0, { axis: 1 }).tolist()).toEqual([[1, 3], [1, 2], [0, 2]]);
      expect(mx.argpartition(x, 0, { axis: 1 }).tolist()).toEqual([[1, 0], [0, 1], [1, 0]]);
    });
  });

  it('0-size and 0-d inputs', () => {
    mx.tidy(() => {
      expect(mx.sort(mx.zeros([0])).shape).toEqual([0]);
      expect(mx.argsort(mx.zeros([2, 0]), 1).shape).toEqual([2, 0]);
      expect(mx.sort(mx.zeros([0, 3]), 1).shape).toEqual([0, 3]);
      expect(mx.topk(mx.zeros([3, 4]), 0).shape).toEqual([3, 0]);
      expect(mx.sort(mx.array(5), null).tolist()).toEqual([5]);
      expect(() => mx.sort(mx.array(5))).toThrow('[sort]');
    });
  });

  it('bad input is an Error naming the op', () => {
    mx.tidy(() => {
      const x = mx.zeros([2, 3]);
      expect(() => mx.sort(x, 2)).toThrow('[sort]');
      expect(() => mx.argsort(x, -3)).toThrow('[argsort]');
      expect(() => mx.partition(x, 3)).toThrow('[partition]');
      expect(() => mx.argpartition(x, -4)).toThrow('[argpartition]');
      expect(() => mx.topk(x, 4)).toThrow('[topk]');
      expect(() => mx.topk(x, -1)).toThrow('[topk]');
    });
  });

  it('gradients follow the permutation (sort, partition, topk)', () => {
    checkGrads((x) => mx.sort(x, -1), [[3, 4]]);
    checkGrads((x) => mx.sort(x, 0), [[3, 2]]);
    checkGrads((x) => mx.sort(x, null), [[2, 3]]);
    checkGrads((x) => mx.topk(x, 2, 1), [[2, 5]]);
    checkGrads((x) => mx.partition(x, 2, -1), [[2, 5]]);
    checkGrads((x) => mx.sort(mx.transpose(x), -1), [[3, 2]]);
    // Second order: the gradient of sort is a scatter, whose own gradient is a gather.
    const w = () => mx.array([[1, -2, 3, 0.5]], mx.float64);
    checkGrads((x) => mx.grad((y: mx.Array) => mx.sum(mx.multiply(mx.multiply(mx.sort(y), mx.sort(y)), w())))(x) as mx.Array, [[2, 4]]);
    checkGrads((x) => mx.grad((y: mx.Array) => mx.sum(mx.multiply(mx.topk(mx.multiply(y, y), 2), 3)))(x) as mx.Array, [[3]]);
    mx.tidy(() => {
      // The cotangent of each sorted position lands on the element it came from.
      const g = mx.grad((x: mx.Array) => mx.sum(mx.multiply(mx.sort(x), mx.array([1, 10, 100]))))(mx.array([2, 3, 1]));
      expect((g as mx.Array).tolist()).toEqual([10, 100, 1]);
      const gt = mx.grad((x: mx.Array) => mx.sum(mx.topk(x, 2)))(mx.array([2, 3, 1]));
      expect((gt as mx.Array).tolist()).toEqual([1, 1, 0]);
      // Index outputs are piecewise constant: they contribute a zero gradient.
      const gi = mx.grad((x: mx.Array) => mx.sum(mx.multiply(mx.argsort(x).astype(mx.float32), x)))(mx.array([2, 3, 1]));
      expect((gi as mx.Array).tolist()).toEqual([2, 0, 1]); // argsort([2, 3, 1])
      const [, ji] = mx.jvp((x: mx.Array) => mx.argpartition(x, 1).astype(mx.float32), [mx.array([2, 3, 1])], [mx.array([1, 1, 1])]);
      expect(ji[0]!.tolist()).toEqual([0, 0, 0]);
    });
  });
});

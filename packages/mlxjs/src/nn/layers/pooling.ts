/**
 * MaxPool1d/2d/3d and AvgPool1d/2d/3d over the spatial axes of channels-last inputs
 * ([N, ...spatial, C]): MLX's windows (stride defaults to the kernel size; padding with -inf
 * for max and 0 for average, which counts the padding as MLX does). Each window offset is a
 * strided slice of the padded input; the slices are reduced elementwise.
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectRank, shapeStr } from './checks.js';
import { pyTuple } from './repr.js';

type Ints = number | readonly number[];
const nTuple = (layer: string, what: string, v: Ints, n: number): number[] => {
  const list = typeof v === 'number' ? Array<number>(n).fill(v) : [...v];
  if (list.length !== n || list.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`[${layer}] ${what} must be an integer or a tuple of ${n} non-negative integers, got ${JSON.stringify(v)}.`);
  }
  return list;
};

export interface PoolOptions {
  stride?: Ints | null;
  padding?: Ints;
}

abstract class Pool extends Module {
  declare private readonly _layer: string;
  declare private readonly _n: number;
  declare private readonly _kernel: number[];
  declare private readonly _stride: number[];
  declare private readonly _padding: number[];
  declare private readonly _max: boolean;

  constructor(layer: string, n: number, max: boolean, kernelSize: Ints, { stride = null, padding = 0 }: PoolOptions) {
    super();
    this._layer = layer;
    this._n = n;
    this._max = max;
    this._kernel = nTuple(layer, 'kernel_size', kernelSize, n);
    this._stride = nTuple(layer, 'stride', stride ?? this._kernel, n);
    this._padding = nTuple(layer, 'padding', padding, n);
    if (this._kernel.some((k) => k < 1) || this._stride.some((s) => s < 1)) {
      throw new Error(`[${layer}] kernel_size and stride must be positive.`);
    }
    this._padding.forEach((p, i) => {
      if (p > this._kernel[i]! / 2) {
        throw new Error(`[${layer}] padding ${p} should be at most half of the kernel size ${this._kernel[i]}.`);
      }
    });
  }

  protected override extraRepr(): string {
    return `kernel_size=${pyTuple(this._kernel)}, stride=${pyTuple(this._stride)}, padding=${pyTuple(this._padding)}`;
  }

  override forward(x: mx.Array): mx.Array {
    const n = this._n;
    const layout = `[N, ${['L', 'H, W', 'D, H, W'][n - 1]}, C]`;
    expectRank(this._layer, x, [n + 2], layout);
    return mx.tidy(() => {
      const pad: [number, number][] = [[0, 0], ...this._padding.map((p): [number, number] => [p, p]), [0, 0]];
      const xp = this._padding.some((p) => p > 0) ? mx.pad(x, pad, 'constant', this._max ? -Infinity : 0) : x;
      const spatial = xp.shape.slice(1, 1 + n);
      const out = spatial.map((s, i) => Math.floor((s - this._kernel[i]!) / this._stride[i]!) + 1);
      if (out.some((o) => o < 1)) {
        throw new Error(`[${this._layer}] The kernel ${pyTuple(this._kernel)} is larger than the (padded) input ${shapeStr(x.shape)}.`);
      }
      let acc: mx.Array | undefined;
      const offsets = (d: number, prefix: number[]): number[][] =>
        d === n ? [prefix] : Array.from({ length: this._kernel[d]! }, (_v, k) => offsets(d + 1, [...prefix, k])).flat();
      for (const off of offsets(0, [])) {
        const start = [0, ...off, 0];
        const stop = [xp.shape[0]!, ...off.map((o, i) => o + (out[i]! - 1) * this._stride[i]! + 1), xp.shape[n + 1]!];
        const strides = [1, ...this._stride, 1];
        const win = mx.slice(xp, start, stop, strides);
        acc = acc === undefined ? win : this._max ? mx.maximum(acc, win) : mx.add(acc, win);
      }
      const taps = this._kernel.reduce((a, b) => a * b, 1);
      return this._max ? acc! : mx.divide(acc!, taps);
    });
  }
}

export class MaxPool1d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('MaxPool1d', 1, true, kernelSize, options); }
}
export class MaxPool2d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('MaxPool2d', 2, true, kernelSize, options); }
}
export class MaxPool3d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('MaxPool3d', 3, true, kernelSize, options); }
}
export class AvgPool1d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('AvgPool1d', 1, false, kernelSize, options); }
}
export class AvgPool2d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('AvgPool2d', 2, false, kernelSize, options); }
}
export class AvgPool3d extends Pool {
  constructor(kernelSize: Ints, options: PoolOptions = {}) { super('AvgPool3d', 3, false, kernelSize, options); }
}

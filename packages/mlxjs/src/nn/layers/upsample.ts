/**
 * Upsample and MLX's upsampleNearest / upsampleLinear / upsampleCubic over the spatial axes
 * of channels-last inputs ([N, ...spatial, C]), with MLX's sampling grids (align_corners or
 * half-pixel centres, cubic a = -0.75 with border clamping). Interpolation is separable, so
 * it runs one spatial axis at a time: gathers along the axis, weighted and summed.
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectArray } from './checks.js';
import { pyBool, pyFloat } from './repr.js';

/** MLX's sampling positions for an output of int(scale * n) along an axis of n. */
function scaledPositions(n: number, scale: number, alignCorners: boolean): Float64Array {
  const m = Math.floor(scale * n);
  const out = new Float64Array(m);
  if (alignCorners) {
    for (let i = 0; i < m; i++) out[i] = Math.fround(i * Math.fround((n - 1) / (m - 1)));
  } else {
    const step = 1 / scale;
    const start = ((m - 1) * step - n + 1) / 2;
    for (let i = 0; i < m; i++) out[i] = Math.fround(Math.fround(i * step) - start);
  }
  return out;
}

/** mx.round's rounding (halves to even), which MLX's nearest grid uses. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d !== 0.5) return Math.round(v);
  return f % 2 === 0 ? f : f + 1;
}

/** Gathers `idx` along `axis`, scaled by the per-position weights `w` (broadcast over the rest). */
function weightedTake(x: mx.Array, axis: number, idx: number[], w: number[] | null): mx.Array {
  const taken = mx.take(x, mx.array(idx, mx.int32), axis);
  if (w === null) return taken;
  const shape = x.shape.map(() => 1);
  shape[axis] = idx.length;
  return mx.multiply(taken, mx.array(w, x.dtype).reshape(shape));
}

function checkScales(op: string, x: mx.Array, scales: readonly number[]): void {
  if (x.ndim - 2 !== scales.length) throw new Error(`[${op}] A scale needs to be provided for each spatial dimension.`);
}

/** Nearest neighbour: integer scales repeat each element; others pick MLX's rounded positions. */
export function upsampleNearest(x: mx.Array, scaleFactor: readonly number[]): mx.Array {
  checkScales('upsample_nearest', x, scaleFactor);
  return mx.tidy(() => {
    let y = x;
    scaleFactor.forEach((s, d) => {
      const axis = d + 1;
      const n = x.shape[axis]!;
      const m = Math.floor(s * n);
      const idx: number[] = [];
      for (let i = 0; i < m; i++) {
        if (Number.isInteger(s)) idx.push(Math.floor(i / s));
        else if (m > n) idx.push(roundHalfEven(Math.fround(Math.fround((i + 0.5) * Math.fround(n / m)) - 0.5)));
        else idx.push(Math.floor(Math.fround(i * Math.fround(n / m))));
      }
      y = weightedTake(y, axis, idx.map((v) => Math.min(Math.max(v, 0), n - 1)), null);
    });
    return y;
  });
}

/** Linear (bilinear, trilinear) interpolation; positions clamped to the input. */
export function upsampleLinear(x: mx.Array, scaleFactor: readonly number[], alignCorners = false): mx.Array {
  checkScales('upsample_linear', x, scaleFactor);
  return mx.tidy(() => {
    let y = x;
    scaleFactor.forEach((s, d) => {
      const axis = d + 1;
      const n = x.shape[axis]!;
      const pos = Array.from(scaledPositions(n, s, alignCorners), (p) => Math.min(Math.max(p, 0), n - 1));
      const left = pos.map(Math.floor);
      const right = pos.map(Math.ceil);
      const w = pos.map((p, i) => p - left[i]!);
      y = mx.add(weightedTake(y, axis, left, w.map((v) => 1 - v)), weightedTake(y, axis, right, w));
    });
    return y;
  });
}

/** Keys' cubic convolution weight (a = -0.75) at distance t; `far` for the outer taps. */
function cubicWeight(t: number, far: boolean): number {
  const a = -0.75;
  return far ? (((t - 5) * t + 8) * t - 4) * a : ((a + 2) * t - (a + 3)) * t * t + 1;
}

/** Cubic interpolation over four taps per axis, border values repeated. */
export function upsampleCubic(x: mx.Array, scaleFactor: readonly number[], alignCorners = false): mx.Array {
  checkScales('upsample_cubic', x, scaleFactor);
  return mx.tidy(() => {
    let y = x;
    scaleFactor.forEach((s, d) => {
      const axis = d + 1;
      const n = x.shape[axis]!;
      const pos = Array.from(scaledPositions(n, s, alignCorners));
      const clamp = (v: number): number => Math.min(Math.max(v, 0), n - 1);
      let acc: mx.Array | undefined;
      for (const [shift, far] of [[-1, true], [0, false], [1, false], [2, true]] as const) {
        const base = pos.map((p) => Math.floor(p) + shift);
        const w = pos.map((p, i) => cubicWeight(Math.abs(p - base[i]!), far));
        const term = weightedTake(y, axis, base.map(clamp), w);
        acc = acc === undefined ? term : mx.add(acc, term);
      }
      y = acc!;
    });
    return y;
  });
}

export type UpsampleMode = 'nearest' | 'linear' | 'cubic';

export class Upsample extends Module {
  declare private readonly _scale: number | number[];
  declare private readonly _mode: UpsampleMode;
  declare private readonly _alignCorners: boolean;

  constructor(scaleFactor: number | readonly number[], { mode = 'nearest', alignCorners = false }: { mode?: UpsampleMode; alignCorners?: boolean } = {}) {
    super();
    if (!['nearest', 'linear', 'cubic'].includes(mode)) throw new Error(`[Upsample] Got unsupported upsampling algorithm: ${String(mode)}.`);
    this._scale = typeof scaleFactor === 'number' ? scaleFactor : [...scaleFactor];
    this._mode = mode;
    this._alignCorners = alignCorners;
  }

  protected override extraRepr(): string {
    const s = typeof this._scale === 'number' ? pyFloat(this._scale) : `(${this._scale.map(pyFloat).join(', ')}${this._scale.length === 1 ? ',' : ''})`;
    return `scale_factor=${s}, mode='${this._mode}', align_corners=${pyBool(this._alignCorners)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectArray('Upsample', x);
    const dims = x.ndim - 2;
    if (dims <= 0) {
      throw new Error(`[Upsample] The input should have at least 1 spatial dimension which means it should be at least 3D but ${x.ndim}D was provided.`);
    }
    let scales: number[];
    if (typeof this._scale === 'number') scales = Array<number>(dims).fill(this._scale);
    else {
      if (this._scale.length !== dims) {
        throw new Error(`[Upsample] One scale per spatial dimension is required but scale_factor=(${this._scale.join(', ')}) and the number of spatial dimensions were ${dims}.`);
      }
      scales = this._scale;
    }
    if (this._mode === 'nearest') return upsampleNearest(x, scales);
    if (this._mode === 'linear') return upsampleLinear(x, scales, this._alignCorners);
    return upsampleCubic(x, scales, this._alignCorners);
  }
}

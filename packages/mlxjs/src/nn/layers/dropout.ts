/**
 * Dropout, Dropout2d, Dropout3d: in training mode zero elements (or whole channels) with
 * probability p, drawn with mx.random, and scale the rest by 1 / (1 - p); identity in eval
 * mode.
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectArray } from './checks.js';
import { pyFloat } from './repr.js';

abstract class DropoutBase extends Module {
  /** 1 - p: the probability of keeping an element. */
  declare protected readonly _p1: number;

  constructor(layer: string, p: number) {
    super();
    if (!(p >= 0 && p < 1)) throw new Error(`[${layer}] The dropout probability ${p} is not in [0, 1).`);
    this._p1 = 1 - p;
  }

  protected override extraRepr(): string {
    return `p=${pyFloat(1 - this._p1)}`;
  }

  /** x * mask / (1 - p), the mask drawn with `maskShape`. */
  protected drop(x: mx.Array, maskShape: number[]): mx.Array {
    if (this._p1 === 1 || !this.training) return x;
    return mx.tidy(() => mx.multiply(mx.multiply(mx.random.bernoulli(this._p1, maskShape), x), 1 / this._p1));
  }
}

export class Dropout extends DropoutBase {
  constructor(p = 0.5) {
    super('Dropout', p);
  }
  override forward(x: mx.Array): mx.Array {
    expectArray('Dropout', x);
    return this.drop(x, x.shape);
  }
}

/** Zeroes whole channels of [N, H, W, C] / [H, W, C] inputs (the mask is 1 over H and W). */
export class Dropout2d extends DropoutBase {
  constructor(p = 0.5) {
    super('Dropout2d', p);
  }
  override forward(x: mx.Array): mx.Array {
    expectArray('Dropout2d', x);
    if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`[Dropout2d] Received input with ${x.ndim} dimensions. Expected 3 or 4 dimensions.`);
    const shape = x.shape;
    shape[shape.length - 2] = 1;
    shape[shape.length - 3] = 1;
    return this.drop(x, shape);
  }
}

/** Zeroes whole channels of [N, D, H, W, C] / [D, H, W, C] inputs. */
export class Dropout3d extends DropoutBase {
  constructor(p = 0.5) {
    super('Dropout3d', p);
  }
  override forward(x: mx.Array): mx.Array {
    expectArray('Dropout3d', x);
    if (x.ndim !== 4 && x.ndim !== 5) throw new Error(`[Dropout3d] Received input with ${x.ndim} dimensions. Expected 4 or 5 dimensions.`);
    const shape = x.shape;
    for (const k of [2, 3, 4]) shape[shape.length - k] = 1;
    return this.drop(x, shape);
  }
}

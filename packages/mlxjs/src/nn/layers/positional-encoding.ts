/** RoPE, SinusoidalPositionalEncoding and ALiBi, MLX's formulas. */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectArray } from './checks.js';
import { keywordArgs } from './options.js';
import { pyBool } from './repr.js';

export interface RoPEOptions {
  traditional?: boolean;
  base?: number;
  scale?: number;
}

/** Rotary positional encoding of the first `dims` features (mx.fast.rope). */
export class RoPE extends Module {
  declare private readonly _dims: number;
  declare private readonly _o: Required<RoPEOptions>;

  constructor(dims: number, { traditional = false, base = 10000, scale = 1.0 }: RoPEOptions = {}) {
    super();
    this._dims = dims;
    this._o = { traditional, base, scale };
  }

  protected override extraRepr(): string {
    return `${this._dims}, traditional=${pyBool(this._o.traditional)}`;
  }

  /** x [..., L, D]; positions start at `offset`. */
  override forward(x: mx.Array, offsetOrOptions: number | { offset?: number } = 0): mx.Array {
    expectArray('RoPE', x);
    const offset = keywordArgs<{ offset: number }>(['offset'], [offsetOrOptions]).offset ?? 0;
    return mx.fast.rope(x, this._dims, { ...this._o, offset });
  }
}

export interface SinusoidalOptions {
  minFreq?: number;
  maxFreq?: number;
  scale?: number | null;
  cosFirst?: boolean;
  fullTurns?: boolean;
}

/** [sin(x sigma), cos(x sigma)] * scale with dims/2 log-spaced frequencies from maxFreq down to minFreq. */
export class SinusoidalPositionalEncoding extends Module {
  declare private readonly _sigmas: number[];
  declare private readonly _cosFirst: boolean;
  declare scale: number;

  constructor(dims: number, { minFreq = 0.0001, maxFreq = 1, scale = null, cosFirst = false, fullTurns = false }: SinusoidalOptions = {}) {
    super();
    const half = Math.floor(dims / 2);
    const lo = Math.log(minFreq);
    const hi = Math.log(maxFreq);
    // Kept as numbers: a private array would be one more thing to free.
    this._sigmas = Array.from({ length: half }, (_v, i) => {
      const oneZero = 1 - i / (half - 1);
      return Math.exp(oneZero * (hi - lo) + lo) * (fullTurns ? 2 * Math.PI : 1);
    });
    this.scale = scale || Math.sqrt(2 / dims);
    this._cosFirst = cosFirst;
  }

  override forward(x: mx.Array): mx.Array {
    expectArray('SinusoidalPositionalEncoding', x);
    return mx.tidy(() => {
      const y = mx.multiply(mx.expandDims(x, -1), mx.array(this._sigmas));
      const c = mx.cos(y);
      const s = mx.sin(y);
      const out = mx.concatenate(this._cosFirst ? [c, s] : [s, c], -1);
      return this.scale !== 1 ? mx.multiply(out, this.scale) : out;
    });
  }
}

/** Adds -slope_h |i - j| to attention scores [B, H, L, S] (slopes 2^(-8h/H)). */
export class ALiBi extends Module {
  static createAlibiSlope(numHeads: number): mx.Array {
    const x = (2 ** 8) ** (1 / numHeads);
    return mx.array(Array.from({ length: numHeads }, (_v, h) => x ** -(h + 1))).reshape(numHeads, 1, 1);
  }

  static createAlibiMatrix(qSequenceLength: number, kSequenceLength: number, numHeads: number, offset: number, dtype: mx.DtypeLike = mx.float32): mx.Array {
    return mx.tidy(() => {
      const x1 = mx.arange(offset, qSequenceLength);
      const x2 = mx.arange(0, kSequenceLength);
      const dist = mx.negative(mx.abs(mx.subtract(x1.reshape(-1, 1), x2.reshape(1, -1)))).reshape(1, 1, qSequenceLength - offset, kSequenceLength);
      return mx.multiply(dist, ALiBi.createAlibiSlope(numHeads)).astype(dtype);
    });
  }

  override forward(attentionScores: mx.Array, ...rest: (number | mx.Array | null | { offset?: number; mask?: mx.Array | null })[]): mx.Array {
    expectArray('ALiBi', attentionScores);
    const { offset = 0, mask = null } = keywordArgs<{ offset: number; mask: mx.Array | null }>(['offset', 'mask'], rest);
    if (attentionScores.ndim !== 4) throw new Error(`[ALiBi] Expected attention scores of shape [B, H, L, S], got ${attentionScores.ndim} dimensions.`);
    return mx.tidy(() => {
      const [, H, L, S] = attentionScores.shape as [number, number, number, number];
      let m = ALiBi.createAlibiMatrix(L + offset, S, H, offset, attentionScores.dtype);
      if (mask !== null) m = mx.add(m, mask);
      return mx.add(attentionScores, m);
    });
  }
}

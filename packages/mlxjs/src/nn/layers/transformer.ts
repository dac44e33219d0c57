/**
 * MultiHeadAttention and the Transformer family, MLX's structure and parameter names
 * (query_proj / key_proj / value_proj / out_proj, ln1.., linear1/2), norm_first by default.
 * Attention runs through mx.fast.scaledDotProductAttention.
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { relu } from '../activations.js';
import { checkpoint as checkpointModule } from '../checkpoint.js';
import { expectArray } from './checks.js';
import { keywordArgs } from './options.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './normalization.js';

export interface MultiHeadAttentionOptions {
  queryInputDims?: number | null;
  keyInputDims?: number | null;
  valueInputDims?: number | null;
  valueDims?: number | null;
  valueOutputDims?: number | null;
  bias?: boolean;
}

export class MultiHeadAttention extends Module {
  declare query_proj: Linear;
  declare key_proj: Linear;
  declare value_proj: Linear;
  declare out_proj: Linear;
  declare private readonly _numHeads: number;

  constructor(dims: number, numHeads: number, options: MultiHeadAttentionOptions = {}) {
    super();
    if (dims % numHeads !== 0) {
      throw new Error(`[MultiHeadAttention] The input feature dimensions should be divisible by the number of heads (${dims} % ${numHeads}) != 0.`);
    }
    const bias = options.bias ?? false;
    const queryInputDims = options.queryInputDims || dims;
    const keyInputDims = options.keyInputDims || dims;
    const valueInputDims = options.valueInputDims || keyInputDims;
    const valueDims = options.valueDims || dims;
    const valueOutputDims = options.valueOutputDims || dims;
    this._numHeads = numHeads;
    this.query_proj = new Linear(queryInputDims, dims, bias);
    this.key_proj = new Linear(keyInputDims, dims, bias);
    this.value_proj = new Linear(valueInputDims, valueDims, bias);
    this.out_proj = new Linear(valueDims, valueOutputDims, bias);
  }

  /** queries [B, L, Dq], keys [B, S, Dk], values [B, S, Dv]; mask additive or boolean, broadcast to [B, H, L, S]. */
  override forward(queries: mx.Array, keys: mx.Array, values: mx.Array, maskOrOptions: mx.Array | null | { mask?: mx.Array | null } = null): mx.Array {
    const mask = keywordArgs<{ mask: mx.Array | null }>(['mask'], [maskOrOptions]).mask ?? null;
    for (const [x, what] of [[queries, 'queries'], [keys, 'keys'], [values, 'values']] as const) {
      expectArray('MultiHeadAttention', x, what);
      if (x.ndim !== 3) throw new Error(`[MultiHeadAttention] Expected ${what} of shape [batch, length, dims], got ${x.ndim} dimensions.`);
    }
    return mx.tidy(() => {
      const h = this._numHeads;
      const [B, L] = queries.shape as [number, number];
      const S = keys.shape[1]!;
      const q = this.query_proj.forward(queries).reshape(B, L, h, -1).transpose(0, 2, 1, 3);
      const k = this.key_proj.forward(keys).reshape(B, S, h, -1).transpose(0, 2, 1, 3);
      const v = this.value_proj.forward(values).reshape(B, S, h, -1).transpose(0, 2, 1, 3);
      const scale = Math.sqrt(1 / q.shape[3]!);
      const out = mx.fast.scaledDotProductAttention(q, k, v, { scale, mask });
      return this.out_proj.forward(out.transpose(0, 2, 1, 3).reshape(B, L, -1));
    });
  }

  /** [N, N]: 0 on and below the diagonal, the dtype's lowest value above it. */
  static createAdditiveCausalMask(N: number, dtype: mx.DtypeLike = mx.float32): mx.Array {
    const d = mx.toDtype(dtype);
    const lowest = d === mx.float16 ? -65504 : d === mx.bfloat16 ? -3.3895313892515355e38 : d === mx.float64 ? -Number.MAX_VALUE : -3.4028234663852886e38;
    return mx.tidy(() => {
      const i = mx.arange(N);
      const above = mx.less(i.reshape(N, 1), i.reshape(1, N));
      return mx.multiply(above.astype(d), mx.array(lowest, d));
    });
  }
}

/** The masks of a decoder call, by name. */
export interface DecoderMasks { xMask?: mx.Array | null; memoryMask?: mx.Array | null; [k: string]: unknown }
/** The masks of a Transformer call, by name. */
export interface TransformerMasks { srcMask?: mx.Array | null; tgtMask?: mx.Array | null; memoryMask?: mx.Array | null; [k: string]: unknown }

type Activation = Module | ((x: mx.Array) => mx.Array);
const activate = (a: Activation, x: mx.Array): mx.Array => (a instanceof Module ? (a.forward(x) as mx.Array) : a(x));

export interface TransformerLayerOptions {
  mlpDims?: number | null;
  dropout?: number;
  activation?: Activation;
  normFirst?: boolean;
}

export class TransformerEncoderLayer extends Module {
  declare attention: MultiHeadAttention;
  declare ln1: LayerNorm;
  declare ln2: LayerNorm;
  declare linear1: Linear;
  declare linear2: Linear;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare activation: Activation;
  declare private readonly _normFirst: boolean;

  constructor(dims: number, numHeads: number, { mlpDims = null, dropout = 0.0, activation = relu, normFirst = true }: TransformerLayerOptions = {}) {
    super();
    const mlp = mlpDims || dims * 4;
    this.attention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlp);
    this.linear2 = new Linear(mlp, dims);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.activation = activation;
    this._normFirst = normFirst;
  }

  override forward(x: mx.Array, maskOrOptions: mx.Array | null | { mask?: mx.Array | null } = null): mx.Array {
    const mask = keywordArgs<{ mask: mx.Array | null }>(['mask'], [maskOrOptions]).mask ?? null;
    return mx.tidy(() => {
      const ff = (y: mx.Array): mx.Array => this.linear2.forward(this.dropout2.forward(activate(this.activation, this.linear1.forward(y))));
      if (this._normFirst) {
        let y = this.ln1.forward(x);
        y = this.dropout1.forward(this.attention.forward(y, y, y, mask));
        const h = mx.add(x, y);
        return mx.add(h, ff(this.ln2.forward(h)));
      }
      const y = this.dropout1.forward(this.attention.forward(x, x, x, mask));
      const h = this.ln1.forward(mx.add(x, y));
      return this.ln2.forward(mx.add(h, ff(h)));
    });
  }
}

export interface TransformerStackOptions extends TransformerLayerOptions {
  checkpoint?: boolean;
}

export class TransformerEncoder extends Module {
  declare layers: TransformerEncoderLayer[];
  declare ln: LayerNorm;
  declare private readonly _checkpoint: boolean;

  constructor(numLayers: number, dims: number, numHeads: number, options: TransformerStackOptions = {}) {
    super();
    this.layers = Array.from({ length: numLayers }, () => new TransformerEncoderLayer(dims, numHeads, options));
    this.ln = new LayerNorm(dims);
    this._checkpoint = options.checkpoint ?? false;
  }

  override forward(x: mx.Array, maskOrOptions: mx.Array | null | { mask?: mx.Array | null } = null): mx.Array {
    const mask = keywordArgs<{ mask: mx.Array | null }>(['mask'], [maskOrOptions]).mask ?? null;
    return mx.tidy(() => {
      let y = x;
      for (const l of this.layers) {
        y = this._checkpoint ? (checkpointModule(l)(y, mask) as mx.Array) : l.forward(y, mask);
      }
      return this.ln.forward(y);
    });
  }
}

export class TransformerDecoderLayer extends Module {
  declare self_attention: MultiHeadAttention;
  declare cross_attention: MultiHeadAttention;
  declare ln1: LayerNorm;
  declare ln2: LayerNorm;
  declare ln3: LayerNorm;
  declare linear1: Linear;
  declare linear2: Linear;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  declare activation: Activation;
  declare private readonly _normFirst: boolean;

  constructor(dims: number, numHeads: number, { mlpDims = null, dropout = 0.0, activation = relu, normFirst = true }: TransformerLayerOptions = {}) {
    super();
    const mlp = mlpDims || dims * 4;
    this.self_attention = new MultiHeadAttention(dims, numHeads);
    this.cross_attention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.ln3 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlp);
    this.linear2 = new Linear(mlp, dims);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = activation;
    this._normFirst = normFirst;
  }

  override forward(x: mx.Array, memory: mx.Array, ...masks: (mx.Array | null | DecoderMasks)[]): mx.Array {
    const { xMask = null, memoryMask = null } = keywordArgs<{ xMask: mx.Array | null; memoryMask: mx.Array | null }>(['xMask', 'memoryMask'], masks);
    return mx.tidy(() => {
      const ff = (y: mx.Array): mx.Array => this.linear2.forward(this.dropout3.forward(activate(this.activation, this.linear1.forward(y))));
      if (this._normFirst) {
        let y = this.ln1.forward(x);
        let h = mx.add(x, this.dropout1.forward(this.self_attention.forward(y, y, y, xMask)));
        y = this.ln2.forward(h);
        h = mx.add(h, this.dropout2.forward(this.cross_attention.forward(y, memory, memory, memoryMask)));
        return mx.add(h, ff(this.ln3.forward(h)));
      }
      let h = this.ln1.forward(mx.add(x, this.dropout1.forward(this.self_attention.forward(x, x, x, xMask))));
      h = this.ln2.forward(mx.add(h, this.dropout2.forward(this.cross_attention.forward(h, memory, memory, memoryMask))));
      return this.ln3.forward(mx.add(h, ff(h)));
    });
  }
}

export class TransformerDecoder extends Module {
  declare layers: TransformerDecoderLayer[];
  declare ln: LayerNorm;
  declare private readonly _checkpoint: boolean;

  constructor(numLayers: number, dims: number, numHeads: number, options: TransformerStackOptions = {}) {
    super();
    this.layers = Array.from({ length: numLayers }, () => new TransformerDecoderLayer(dims, numHeads, options));
    this.ln = new LayerNorm(dims);
    this._checkpoint = options.checkpoint ?? false;
  }

  override forward(x: mx.Array, memory: mx.Array, ...masks: (mx.Array | null | DecoderMasks)[]): mx.Array {
    const { xMask = null, memoryMask = null } = keywordArgs<{ xMask: mx.Array | null; memoryMask: mx.Array | null }>(['xMask', 'memoryMask'], masks);
    return mx.tidy(() => {
      let y = x;
      for (const l of this.layers) {
        y = this._checkpoint ? (checkpointModule(l)(y, memory, xMask, memoryMask) as mx.Array) : l.forward(y, memory, xMask, memoryMask);
      }
      return this.ln.forward(y);
    });
  }
}

export interface TransformerOptions extends TransformerStackOptions {
  dims?: number;
  numHeads?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}

/** An encoder-decoder Transformer; forward(src, tgt, srcMask, tgtMask, memoryMask). */
export class Transformer extends Module {
  declare encoder: Module;
  declare decoder: Module;

  constructor(options: TransformerOptions = {}) {
    super();
    const { dims = 512, numHeads = 8, numEncoderLayers = 6, numDecoderLayers = 6, customEncoder = null, customDecoder = null, ...rest } = options;
    this.encoder = customEncoder ?? new TransformerEncoder(numEncoderLayers, dims, numHeads, rest);
    this.decoder = customDecoder ?? new TransformerDecoder(numDecoderLayers, dims, numHeads, rest);
  }

  override forward(src: mx.Array, tgt: mx.Array, ...masks: (mx.Array | null | TransformerMasks)[]): mx.Array {
    const { srcMask = null, tgtMask = null, memoryMask = null } = keywordArgs<TransformerMasks>(['srcMask', 'tgtMask', 'memoryMask'], masks);
    return mx.tidy(() => {
      const memory = this.encoder.forward(src, srcMask) as mx.Array;
      return this.decoder.forward(tgt, memory, tgtMask, memoryMask) as mx.Array;
    });
  }
}

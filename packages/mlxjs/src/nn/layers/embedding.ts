/** Embedding: a lookup table `weight` [numEmbeddings, dims], N(0, 1/dims). */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectArray, expectLastDim } from './checks.js';
import { QuantizedEmbedding, type QuantizeLayerOptions } from './quantized.js';

export class Embedding extends Module {
  declare weight: mx.Array;

  constructor(numEmbeddings: number, dims: number) {
    super();
    this.weight = mx.random.normal([numEmbeddings, dims], mx.float32, 0, Math.sqrt(1 / dims));
  }

  protected override extraRepr(): string {
    const [n, d] = this.weight.shape;
    return `${n}, ${d}`;
  }

  /** The rows of `weight` named by the integer indices `x`. */
  override forward(x: mx.Array): mx.Array {
    expectArray('Embedding', x);
    if (!mx.isInteger(x.dtype)) throw new Error(`[Embedding] Expected integer indices, got ${x.dtype.name}.`);
    return mx.take(this.weight, x, 0);
  }

  /** x W^T: the embedding used as a linear layer (tied output projections). */
  asLinear(x: mx.Array): mx.Array {
    expectLastDim('Embedding', x, this.weight.shape[1]!);
    return mx.tidy(() => mx.matmul(x, this.weight.T));
  }

  /** The QuantizedEmbedding of this layer (MLX's to_quantized; positional or an options object). */
  toQuantized(groupSize?: number | QuantizeLayerOptions, bits?: number, mode?: mx.QuantizationMode): QuantizedEmbedding {
    return QuantizedEmbedding.fromEmbedding(this, groupSize, bits, mode);
  }
}

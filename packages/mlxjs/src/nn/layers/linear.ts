/** Linear, Bilinear and Identity, with MLX's parameter names, shapes and initialisation. */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectLastDim } from './checks.js';
import { QuantizedLinear, type QuantizeLayerOptions } from './quantized.js';

/** forward(x) = x (MLX accepts and ignores constructor arguments). */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(x: mx.Array): mx.Array {
    return x;
  }
}

export interface LinearOptions {
  bias?: boolean;
}

/** y = x W^T + b with `weight` [outputDims, inputDims] and `bias` [outputDims], U(-1/sqrt(in), 1/sqrt(in)). */
export class Linear extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;

  constructor(inputDims: number, outputDims: number, bias: boolean | LinearOptions = true) {
    super();
    const withBias = typeof bias === 'object' ? (bias.bias ?? true) : bias;
    const scale = Math.sqrt(1 / inputDims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
    if (withBias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }

  protected override extraRepr(): string {
    const [out, inp] = this.weight.shape;
    return `input_dims=${inp}, output_dims=${out}, bias=${this.bias !== undefined ? 'True' : 'False'}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('Linear', x, this.weight.shape[1]!);
    return mx.tidy(() => (this.bias !== undefined ? mx.addmm(this.bias, x, this.weight.T) : mx.matmul(x, this.weight.T)));
  }

  /** The QuantizedLinear of this layer (MLX's to_quantized; positional or an options object). */
  toQuantized(groupSize?: number | QuantizeLayerOptions, bits?: number, mode?: mx.QuantizationMode): QuantizedLinear {
    return QuantizedLinear.fromLinear(this, groupSize, bits, mode);
  }
}

/** y_k = x1^T W_k x2 + b_k with `weight` [outputDims, input2Dims, input1Dims] (MLX's layout). */
export class Bilinear extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;

  constructor(input1Dims: number, input2Dims: number, outputDims: number, bias: boolean | LinearOptions = true) {
    super();
    const withBias = typeof bias === 'object' ? (bias.bias ?? true) : bias;
    const scale = Math.sqrt(1 / input1Dims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, input2Dims, input1Dims]);
    if (withBias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }

  protected override extraRepr(): string {
    const [out, in2, in1] = this.weight.shape;
    return `input1_dims=${in1}, input2_dims=${in2}, output_dims=${out}, bias=${this.bias !== undefined ? 'True' : 'False'}`;
  }

  override forward(x1: mx.Array, x2: mx.Array): mx.Array {
    const [out, in2, in1] = this.weight.shape as [number, number, number];
    expectLastDim('Bilinear', x1, in1, 'x1');
    expectLastDim('Bilinear', x2, in2, 'x2');
    return mx.tidy(() => {
      const lead = x1.shape.slice(0, -1);
      const a = x1.reshape(-1, in1);
      const b = x2.reshape(-1, 1, in2);
      let y = mx.matmul(a, this.weight.reshape(out * in2, in1).T);
      y = mx.swapaxes(y.reshape(-1, out, in2), -2, -1);
      y = mx.matmul(b, y).reshape([...lead, out]);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

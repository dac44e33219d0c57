/**
 * Conv1d / Conv2d / Conv3d and ConvTranspose1d / 2d / 3d on channels-last inputs (NLC, NHWC,
 * NDHWC), MLX's parameter layouts: `weight` [out, ...kernel, in / groups], `bias` [out] (zeros).
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectRank } from './checks.js';
import { pyBool, pyTuple } from './repr.js';

type IntOrPair = number | readonly [number, number];
const pair = (v: IntOrPair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
type IntOrTriple = number | readonly [number, number, number];
const triple = (v: IntOrTriple): [number, number, number] => (typeof v === 'number' ? [v, v, v] : [v[0], v[1], v[2]]);

export interface ConvOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}
export interface Conv2dOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  groups?: number;
  bias?: boolean;
}

function checkGroups(layer: string, inChannels: number, outChannels: number, groups: number): void {
  if (inChannels % groups !== 0) {
    throw new Error(`[${layer}] The number of input channels (${inChannels}) must be divisible by the number of groups (${groups}).`);
  }
  if (outChannels % groups !== 0) {
    throw new Error(`[${layer}] The number of output channels (${outChannels}) must be divisible by the number of groups (${groups}).`);
  }
}

function checkInput(layer: string, x: unknown, spatial: number, inChannels: number): asserts x is mx.Array {
  const layout = ['[N, L, C]', '[N, H, W, C]', '[N, D, H, W, C]'][spatial - 1]!;
  expectRank(layer, x, [spatial + 2], layout);
  const c = x.shape[x.ndim - 1]!;
  if (c !== inChannels) throw new Error(`[${layer}] Expected input with ${inChannels} channels (last dimension), got ${c}.`);
}

export class Conv1d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: Required<Omit<ConvOptions, 'bias'>>;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = options;
    checkGroups('Conv1d', inChannels, outChannels, groups);
    this._o = { stride, padding, dilation, groups };
    const scale = Math.sqrt(1 / (inChannels * kernelSize));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kernelSize, inChannels / groups]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, k, cin] = this.weight.shape as [number, number, number];
    const { stride, padding, dilation, groups } = this._o;
    return `${cin * groups}, ${out}, kernel_size=${k}, stride=${stride}, padding=${padding}, dilation=${dilation}, groups=${groups}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('Conv1d', x, 1, this.weight.shape[2]! * this._o.groups);
    return mx.tidy(() => {
      const y = mx.conv1d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

export class Conv2d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: { stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number };

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, options: Conv2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = options;
    checkGroups('Conv2d', inChannels, outChannels, groups);
    const [kh, kw] = pair(kernelSize);
    this._o = { stride: pair(stride), padding: pair(padding), dilation: pair(dilation), groups };
    const scale = Math.sqrt(1 / (inChannels * kh * kw));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kh, kw, inChannels / groups]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, kh, kw, cin] = this.weight.shape as [number, number, number, number];
    const { stride, padding, dilation, groups } = this._o;
    return `${cin * groups}, ${out}, kernel_size=${pyTuple([kh, kw])}, stride=${pyTuple(stride)}, padding=${pyTuple(padding)}, dilation=${pyTuple(dilation)}, groups=${groups}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('Conv2d', x, 2, this.weight.shape[3]! * this._o.groups);
    return mx.tidy(() => {
      const y = mx.conv2d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

export interface Conv3dOptions {
  stride?: IntOrTriple;
  padding?: IntOrTriple;
  dilation?: IntOrTriple;
  groups?: number;
  bias?: boolean;
}

type Triple = [number, number, number];

export class Conv3d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: { stride: Triple; padding: Triple; dilation: Triple; groups: number };

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTriple, options: Conv3dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = options;
    checkGroups('Conv3d', inChannels, outChannels, groups);
    const [kd, kh, kw] = triple(kernelSize);
    this._o = { stride: triple(stride), padding: triple(padding), dilation: triple(dilation), groups };
    const scale = Math.sqrt(1 / (inChannels * kd * kh * kw));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kd, kh, kw, inChannels / groups]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, kd, kh, kw, cin] = this.weight.shape as [number, number, number, number, number];
    const { stride, padding, dilation, groups } = this._o;
    return `${cin * groups}, ${out}, kernel_size=${pyTuple([kd, kh, kw])}, stride=${pyTuple(stride)}, padding=${pyTuple(padding)}, dilation=${pyTuple(dilation)}, groups=${groups}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('Conv3d', x, 3, this.weight.shape[4]! * this._o.groups);
    return mx.tidy(() => {
      const y = mx.conv3d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

export interface ConvTransposeOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  outputPadding?: number;
  bias?: boolean;
}
export interface ConvTranspose2dOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  outputPadding?: IntOrPair;
  bias?: boolean;
}

/** The transposed convolution: `weight` [out, kernel, in]. */
export class ConvTranspose1d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: Required<Omit<ConvTransposeOptions, 'bias'>>;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvTransposeOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, outputPadding = 0, bias = true } = options;
    this._o = { stride, padding, dilation, outputPadding };
    const scale = Math.sqrt(1 / (inChannels * kernelSize));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kernelSize, inChannels]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, k, cin] = this.weight.shape as [number, number, number];
    const { stride, padding, dilation, outputPadding } = this._o;
    return `${cin}, ${out}, kernel_size=${k}, stride=${stride}, padding=${padding}, dilation=${dilation}, output_padding=${outputPadding}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('ConvTranspose1d', x, 1, this.weight.shape[2]!);
    return mx.tidy(() => {
      const y = mx.convTranspose1d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

export class ConvTranspose2d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: { stride: [number, number]; padding: [number, number]; dilation: [number, number]; outputPadding: [number, number] };

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, options: ConvTranspose2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, outputPadding = 0, bias = true } = options;
    const [kh, kw] = pair(kernelSize);
    this._o = { stride: pair(stride), padding: pair(padding), dilation: pair(dilation), outputPadding: pair(outputPadding) };
    const scale = Math.sqrt(1 / (inChannels * kh * kw));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kh, kw, inChannels]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, kh, kw, cin] = this.weight.shape as [number, number, number, number];
    const { stride, padding, dilation, outputPadding } = this._o;
    return `${cin}, ${out}, kernel_size=${pyTuple([kh, kw])}, stride=${pyTuple(stride)}, padding=${pyTuple(padding)}, dilation=${pyTuple(dilation)}, output_padding=${pyTuple(outputPadding)}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('ConvTranspose2d', x, 2, this.weight.shape[3]!);
    return mx.tidy(() => {
      const y = mx.convTranspose2d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

export interface ConvTranspose3dOptions {
  stride?: IntOrTriple;
  padding?: IntOrTriple;
  dilation?: IntOrTriple;
  outputPadding?: IntOrTriple;
  bias?: boolean;
}

/** The 3-D transposed convolution: `weight` [out, kd, kh, kw, in]. */
export class ConvTranspose3d extends Module {
  declare weight: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _o: { stride: Triple; padding: Triple; dilation: Triple; outputPadding: Triple };

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTriple, options: ConvTranspose3dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, outputPadding = 0, bias = true } = options;
    const [kd, kh, kw] = triple(kernelSize);
    this._o = { stride: triple(stride), padding: triple(padding), dilation: triple(dilation), outputPadding: triple(outputPadding) };
    const scale = Math.sqrt(1 / (inChannels * kd * kh * kw));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kd, kh, kw, inChannels]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }

  protected override extraRepr(): string {
    const [out, kd, kh, kw, cin] = this.weight.shape as [number, number, number, number, number];
    const { stride, padding, dilation, outputPadding } = this._o;
    return `${cin}, ${out}, kernel_size=${pyTuple([kd, kh, kw])}, stride=${pyTuple(stride)}, padding=${pyTuple(padding)}, dilation=${pyTuple(dilation)}, output_padding=${pyTuple(outputPadding)}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    checkInput('ConvTranspose3d', x, 3, this.weight.shape[4]!);
    return mx.tidy(() => {
      const y = mx.convTranspose3d(x, this.weight, this._o);
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

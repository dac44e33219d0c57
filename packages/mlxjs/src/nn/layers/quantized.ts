/**
 * QuantizedLinear, QuantizedEmbedding and nn.quantize, with MLX's parameter names (`weight`
 * uint32 codes, `scales`, `biases`, `bias`) so quantized MLX checkpoints load by name. The
 * quantized members are frozen (MLX trains no packed weights; unfreeze keeps them frozen).
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectArray } from './checks.js';

/** The trailing `{ groupSize, bits, mode }` of the quantized layers and nn.quantize. */
export interface QuantizeLayerOptions {
  groupSize?: number;
  bits?: number;
  mode?: mx.QuantizationMode;
}

/** MLX's defaults per mode (group size, bits): affine 64/4, mxfp4 32/4, mxfp8 32/8, nvfp4 16/4. */
const MODE_DEFAULTS: Record<string, [number, number]> = { affine: [64, 4], mxfp4: [32, 4], mxfp8: [32, 8], nvfp4: [16, 4] };

/** MLX's positional (groupSize, bits, mode) or a trailing options object. */
function layerOptions(a: number | QuantizeLayerOptions | undefined, bits?: number, mode?: mx.QuantizationMode):
  { groupSize: number; bits: number; mode: mx.QuantizationMode } {
  const o: QuantizeLayerOptions = typeof a === 'object' && a !== null ? a : { groupSize: a, bits, mode };
  const m = o.mode ?? 'affine';
  const [gs, b] = MODE_DEFAULTS[m] ?? [64, 4];
  return { groupSize: o.groupSize ?? gs, bits: o.bits ?? b, mode: m };
}

/** Sets weight, scales and (affine only: the floating-point modes have none) biases. */
function setQuantized(layer: { weight: mx.Array; scales: mx.Array; biases?: mx.Array }, q: mx.Array[]): void {
  layer.weight = q[0]!;
  layer.scales = q[1]!;
  if (q[2] !== undefined) layer.biases = q[2];
  else delete layer.biases;
}

/** What fromLinear / fromEmbedding read of a Linear / Embedding (structural: no import cycle). */
interface FloatLayer { weight: mx.Array; bias?: mx.Array }

function reprOf(m: { groupSize: number; bits: number; mode: string }): string {
  return `group_size=${m.groupSize}, bits=${m.bits}, mode=${m.mode}`;
}

/** y = x W^T + b with W stored quantized (`weight`, `scales`, `biases`), via mx.quantizedMatmul. */
export class QuantizedLinear extends Module {
  declare weight: mx.Array;
  declare scales: mx.Array;
  /** The per-group biases (affine mode only). */
  declare biases?: mx.Array;
  declare bias?: mx.Array;
  readonly groupSize: number;
  readonly bits: number;
  readonly mode: mx.QuantizationMode;

  constructor(inputDims: number, outputDims: number, bias: boolean | { bias?: boolean } = true,
    groupSize?: number | QuantizeLayerOptions, bits?: number, mode?: mx.QuantizationMode) {
    super();
    const o = layerOptions(groupSize, bits, mode);
    this.groupSize = o.groupSize;
    this.bits = o.bits;
    this.mode = o.mode;
    const withBias = typeof bias === 'object' ? (bias.bias ?? true) : bias;
    const scale = Math.sqrt(1 / inputDims);
    setQuantized(this, mx.tidy(() => mx.quantize(mx.random.uniform(-scale, scale, [outputDims, inputDims]), o)));
    if (withBias) this.bias = mx.zeros([outputDims]);
    this.freeze();
  }

  /** The quantized copy of a Linear (its bias shared). */
  static fromLinear(linear: FloatLayer, groupSize?: number | QuantizeLayerOptions, bits?: number,
    mode?: mx.QuantizationMode): QuantizedLinear {
    const o = layerOptions(groupSize, bits, mode);
    const [out, inp] = linear.weight.shape as [number, number];
    const ql = new QuantizedLinear(inp, out, false, o);
    setQuantized(ql, mx.quantize(linear.weight, o));
    if (linear.bias !== undefined) ql.bias = linear.bias;
    ql.freeze();
    return ql;
  }

  override unfreeze(options: Parameters<Module['unfreeze']>[0] = {}): this {
    super.unfreeze(options);
    return this.freeze({ recurse: false });
  }

  protected override extraRepr(): string {
    const inp = (this.weight.shape[1]! * 32) / this.bits;
    return `input_dims=${inp}, output_dims=${this.weight.shape[0]}, bias=${this.bias !== undefined ? 'True' : 'False'}, ${reprOf(this)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectArray('QuantizedLinear', x);
    return mx.tidy(() => {
      const y = mx.quantizedMatmul(x, this.weight, this.scales, this.biases,
        { transpose: true, groupSize: this.groupSize, bits: this.bits, mode: this.mode });
      return this.bias !== undefined ? mx.add(y, this.bias) : y;
    });
  }
}

/** An Embedding whose table is stored quantized; rows are dequantized on lookup. */
export class QuantizedEmbedding extends Module {
  declare weight: mx.Array;
  declare scales: mx.Array;
  /** The per-group biases (affine mode only). */
  declare biases?: mx.Array;
  readonly numEmbeddings: number;
  readonly dims: number;
  readonly groupSize: number;
  readonly bits: number;
  readonly mode: mx.QuantizationMode;

  constructor(numEmbeddings: number, dims: number, groupSize?: number | QuantizeLayerOptions, bits?: number,
    mode?: mx.QuantizationMode) {
    super();
    const o = layerOptions(groupSize, bits, mode);
    this.numEmbeddings = numEmbeddings;
    this.dims = dims;
    this.groupSize = o.groupSize;
    this.bits = o.bits;
    this.mode = o.mode;
    setQuantized(this, mx.tidy(() => mx.quantize(mx.random.normal([numEmbeddings, dims], mx.float32, 0, Math.sqrt(1 / dims)), o)));
    this.freeze();
  }

  /** The quantized copy of an Embedding. */
  static fromEmbedding(embedding: FloatLayer, groupSize?: number | QuantizeLayerOptions, bits?: number,
    mode?: mx.QuantizationMode): QuantizedEmbedding {
    const o = layerOptions(groupSize, bits, mode);
    const [n, d] = embedding.weight.shape as [number, number];
    const qe = new QuantizedEmbedding(n, d, o);
    setQuantized(qe, mx.quantize(embedding.weight, o));
    return qe;
  }

  override unfreeze(options: Parameters<Module['unfreeze']>[0] = {}): this {
    super.unfreeze(options);
    return this.freeze({ recurse: false });
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.dims}, ${reprOf(this)}`;
  }

  /** The dequantized rows named by the integer indices `x`. */
  override forward(x: mx.Array): mx.Array {
    expectArray('QuantizedEmbedding', x);
    if (!mx.isInteger(x.dtype)) throw new Error(`[QuantizedEmbedding] Expected integer indices, got ${x.dtype.name}.`);
    return mx.tidy(() => mx.dequantize(mx.take(this.weight, x, 0), mx.take(this.scales, x, 0),
      this.biases !== undefined ? mx.take(this.biases, x, 0) : null,
      { groupSize: this.groupSize, bits: this.bits, mode: this.mode }));
  }

  /** x W^T with the quantized table (tied output projections). */
  asLinear(x: mx.Array): mx.Array {
    expectArray('QuantizedEmbedding', x);
    return mx.quantizedMatmul(x, this.weight, this.scales, this.biases,
      { transpose: true, groupSize: this.groupSize, bits: this.bits, mode: this.mode });
  }
}

export interface QuantizeModelOptions extends QuantizeLayerOptions {
  /**
   * Which leaf modules to quantize, given their path and module: true (with the call's
   * options), false, or the options for that module. Default: every module with toQuantized.
   */
  classPredicate?: (path: string, module: Module) => boolean | QuantizeLayerOptions;
}

interface Quantizable { toQuantized(options: QuantizeLayerOptions): Module }
const quantizable = (m: Module): m is Module & Quantizable =>
  typeof (m as unknown as Partial<Quantizable>).toQuantized === 'function';

/**
 * Replaces, in place, the leaf modules the predicate selects (by default every Linear and
 * Embedding) by their quantized versions (MLX's nn.quantize), and disposes the replaced
 * float modules. Positional (groupSize, bits) or an options object.
 */
export function quantize(model: Module, groupSize?: number | QuantizeModelOptions, bits?: number,
  options: QuantizeModelOptions = {}): Module {
  const o: QuantizeModelOptions = typeof groupSize === 'object' && groupSize !== null ? groupSize : { ...options, groupSize, bits };
  const base = layerOptions(o.groupSize, o.bits, o.mode);
  const predicate = o.classPredicate ?? ((_p: string, m: Module) => quantizable(m));
  const replaced: Module[] = [];
  const leaves = mx.utils.treeMapWithPath((path: string, m: unknown) => {
    if (!(m instanceof Module)) return m;
    const sel = predicate(path, m);
    if (sel === false) return m;
    if (!quantizable(m)) throw new Error(`[quantize] Unable to quantize model of type ${m.constructor.name}`);
    replaced.push(m);
    return m.toQuantized(sel === true ? base : layerOptions(sel));
  }, model.leafModules(), { isLeaf: (x: unknown) => x instanceof Module });
  model.updateModules(leaves as Record<string, unknown>);
  // The float layers left the model: let go of their arrays (what the quantized layers
  // share, such as a bias, stays held), or the float weights would outlive quantization.
  for (const m of replaced) m.dispose();
  return model;
}

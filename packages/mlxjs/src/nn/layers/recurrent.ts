/**
 * RNN, GRU and LSTM over [batch, time, features] (or [time, features]), MLX's parameter
 * names (Wxh/Whh/bias, Wx/Wh/b/bhn, Wx/Wh/bias) and recurrences: without an initial
 * hidden state the first step has no recurrent term (MLX's `hidden=None`).
 */
import * as mx from '@mlxjs/core';
import { Module } from '../module.js';
import { expectLastDim } from './checks.js';
import { keywordArgs } from './options.js';
import { pyBool } from './repr.js';

/** x[..., t, :]. */
function atTime(x: mx.Array, t: number): mx.Array {
  const start = x.shape.map(() => 0);
  const stop = x.shape.slice();
  start[x.ndim - 2] = t;
  stop[x.ndim - 2] = t + 1;
  return mx.squeeze(mx.slice(x, start, stop), x.ndim - 2);
}

/** The last `n` features, or all but them. */
const lastFeatures = (x: mx.Array, n: number): mx.Array => mx.split(x, [x.shape[x.ndim - 1]! - n], -1)[1]!;
const leadingFeatures = (x: mx.Array, n: number): mx.Array => mx.split(x, [x.shape[x.ndim - 1]! - n], -1)[0]!;

function checkSequence(layer: string, x: mx.Array, inputDims: number): void {
  expectLastDim(layer, x, inputDims);
  if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`[${layer}] Expected input of shape [batch, time, features] or [time, features], got ${x.ndim} dimensions.`);
}

/** h_t = nonlinearity(x_t Wxh^T + bias + h_{t-1} Whh^T). Returns all hidden states. */
export class RNN extends Module {
  declare Wxh: mx.Array;
  declare Whh: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _hiddenSize: number;
  declare private readonly _nonlinearity: (x: mx.Array) => mx.Array;

  constructor(inputSize: number, hiddenSize: number, { bias = true, nonlinearity = null }: { bias?: boolean; nonlinearity?: ((x: mx.Array) => mx.Array) | null } = {}) {
    super();
    if (nonlinearity !== null && typeof nonlinearity !== 'function') throw new Error(`[RNN] Nonlinearity must be callable. Current value: ${String(nonlinearity)}.`);
    this._nonlinearity = nonlinearity ?? mx.tanh;
    this._hiddenSize = hiddenSize;
    const scale = 1 / Math.sqrt(hiddenSize);
    this.Wxh = mx.random.uniform(-scale, scale, [hiddenSize, inputSize]);
    this.Whh = mx.random.uniform(-scale, scale, [hiddenSize, hiddenSize]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [hiddenSize]);
  }

  protected override extraRepr(): string {
    return `input_dims=${this.Wxh.shape[1]}, hidden_size=${this._hiddenSize}, nonlinearity=${this._nonlinearity.name || 'function'}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array, hiddenOrOptions: mx.Array | null | { hidden?: mx.Array | null } = null): mx.Array {
    checkSequence('RNN', x, this.Wxh.shape[1]!);
    const hidden = keywordArgs<{ hidden: mx.Array | null }>(['hidden'], [hiddenOrOptions]).hidden ?? null;
    return mx.tidy(() => {
      const xp = this.bias !== undefined ? mx.addmm(this.bias, x, this.Wxh.T) : mx.matmul(x, this.Wxh.T);
      const all: mx.Array[] = [];
      let h = hidden;
      for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
        const xt = atTime(xp, t);
        h = this._nonlinearity(h !== null ? mx.addmm(xt, h, this.Whh.T) : xt);
        all.push(h);
      }
      return mx.stack(all, -2);
    });
  }
}

/** PyTorch's GRU cell with MLX's names: Wx [3H, in] and Wh [3H, H] (r, z, n), b [3H], bhn [H]. */
export class GRU extends Module {
  declare Wx: mx.Array;
  declare Wh: mx.Array;
  declare b?: mx.Array;
  declare bhn?: mx.Array;
  declare private readonly _hiddenSize: number;

  constructor(inputSize: number, hiddenSize: number, { bias = true }: { bias?: boolean } = {}) {
    super();
    this._hiddenSize = hiddenSize;
    const scale = 1 / Math.sqrt(hiddenSize);
    this.Wx = mx.random.uniform(-scale, scale, [3 * hiddenSize, inputSize]);
    this.Wh = mx.random.uniform(-scale, scale, [3 * hiddenSize, hiddenSize]);
    if (bias) {
      this.b = mx.random.uniform(-scale, scale, [3 * hiddenSize]);
      this.bhn = mx.random.uniform(-scale, scale, [hiddenSize]);
    }
  }

  protected override extraRepr(): string {
    return `input_dims=${this.Wx.shape[1]}, hidden_size=${this._hiddenSize}, bias=${pyBool(this.b !== undefined)}`;
  }

  override forward(x: mx.Array, hiddenOrOptions: mx.Array | null | { hidden?: mx.Array | null } = null): mx.Array {
    checkSequence('GRU', x, this.Wx.shape[1]!);
    const hidden = keywordArgs<{ hidden: mx.Array | null }>(['hidden'], [hiddenOrOptions]).hidden ?? null;
    return mx.tidy(() => {
      const H = this._hiddenSize;
      const xp = this.b !== undefined ? mx.addmm(this.b, x, this.Wx.T) : mx.matmul(x, this.Wx.T);
      const xRz = leadingFeatures(xp, H);
      const xN = lastFeatures(xp, H);
      const all: mx.Array[] = [];
      let h = hidden;
      for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
        let rz = atTime(xRz, t);
        let hN: mx.Array | null = null;
        if (h !== null) {
          const proj = mx.matmul(h, this.Wh.T);
          hN = lastFeatures(proj, H);
          if (this.bhn !== undefined) hN = mx.add(hN, this.bhn);
          rz = mx.add(rz, leadingFeatures(proj, H));
        }
        const [r, z] = mx.split(mx.sigmoid(rz), 2, -1) as [mx.Array, mx.Array];
        let n = atTime(xN, t);
        if (hN !== null) n = mx.add(n, mx.multiply(r, hN));
        n = mx.tanh(n);
        h = h !== null ? mx.add(mx.multiply(mx.subtract(1, z), n), mx.multiply(z, h)) : mx.multiply(mx.subtract(1, z), n);
        all.push(h);
      }
      return mx.stack(all, -2);
    });
  }
}

/** PyTorch's LSTM cell with MLX's names: Wx [4H, in], Wh [4H, H] (i, f, g, o), bias [4H]. Returns [hidden states, cell states]. */
export class LSTM extends Module {
  declare Wx: mx.Array;
  declare Wh: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _hiddenSize: number;

  constructor(inputSize: number, hiddenSize: number, { bias = true }: { bias?: boolean } = {}) {
    super();
    this._hiddenSize = hiddenSize;
    const scale = 1 / Math.sqrt(hiddenSize);
    this.Wx = mx.random.uniform(-scale, scale, [4 * hiddenSize, inputSize]);
    this.Wh = mx.random.uniform(-scale, scale, [4 * hiddenSize, hiddenSize]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [4 * hiddenSize]);
  }

  protected override extraRepr(): string {
    return `input_dims=${this.Wx.shape[1]}, hidden_size=${this._hiddenSize}, bias=${pyBool(this.bias !== undefined)}`;
  }

  override forward(x: mx.Array, ...state: (mx.Array | null | { hidden?: mx.Array | null; cell?: mx.Array | null })[]): [mx.Array, mx.Array] {
    checkSequence('LSTM', x, this.Wx.shape[1]!);
    const { hidden = null, cell = null } = keywordArgs<{ hidden: mx.Array | null; cell: mx.Array | null }>(['hidden', 'cell'], state);
    return mx.tidy(() => {
      const xp = this.bias !== undefined ? mx.addmm(this.bias, x, this.Wx.T) : mx.matmul(x, this.Wx.T);
      const hs: mx.Array[] = [];
      const cs: mx.Array[] = [];
      let h = hidden;
      let c = cell;
      for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
        let ifgo = atTime(xp, t);
        if (h !== null) ifgo = mx.addmm(ifgo, h, this.Wh.T);
        const [i, f, g, o] = mx.split(ifgo, 4, -1) as [mx.Array, mx.Array, mx.Array, mx.Array];
        const ig = mx.multiply(mx.sigmoid(i), mx.tanh(g));
        c = c !== null ? mx.add(mx.multiply(mx.sigmoid(f), c), ig) : ig;
        h = mx.multiply(mx.sigmoid(o), mx.tanh(c));
        hs.push(h);
        cs.push(c);
      }
      return [mx.stack(hs, -2), mx.stack(cs, -2)];
    });
  }
}

/**
 * Normalization layers, MLX's formulas and parameter names: LayerNorm and RMSNorm (the
 * fused mx.fast kernels), GroupNorm, InstanceNorm and BatchNorm (with running statistics
 * updated in training mode and used in eval mode). Channels are the last axis.
 */
import * as mx from '@mlxjs/core';
import { Module, type FreezeOptions } from '../module.js';
import { expectLastDim, shapeStr } from './checks.js';
import { pyBool, pyFloat } from './repr.js';

export interface LayerNormOptions {
  eps?: number;
  affine?: boolean;
  bias?: boolean;
}

/** (x - mean) / sqrt(var + eps) * weight + bias over the last axis. */
export class LayerNorm extends Module {
  declare weight?: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _dims: number;
  declare private readonly _eps: number;

  constructor(dims: number, { eps = 1e-5, affine = true, bias = true }: LayerNormOptions = {}) {
    super();
    this._dims = dims;
    this._eps = eps;
    if (affine) {
      this.weight = mx.ones([dims]);
      if (bias) this.bias = mx.zeros([dims]);
    }
  }

  protected override extraRepr(): string {
    return `${this._dims}, eps=${pyFloat(this._eps)}, affine=${pyBool(this.weight !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('LayerNorm', x, this._dims);
    return mx.fast.layerNorm(x, this.weight, this.bias, this._eps);
  }
}

/** x / sqrt(mean(x^2) + eps) * weight over the last axis. */
export class RMSNorm extends Module {
  declare weight: mx.Array;
  declare private readonly _eps: number;

  constructor(dims: number, { eps = 1e-5 }: { eps?: number } = {}) {
    super();
    this._eps = eps;
    this.weight = mx.ones([dims]);
  }

  protected override extraRepr(): string {
    return `${this.weight.shape[0]}, eps=${pyFloat(this._eps)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('RMSNorm', x, this.weight.shape[0]!);
    return mx.fast.rmsNorm(x, this.weight, this._eps);
  }
}

export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
  pytorchCompatible?: boolean;
}

/**
 * Normalizes groups of channels over the batch element's features. MLX's default groups
 * are strided (channel c in group c % numGroups); `pytorchCompatible` uses PyTorch's
 * contiguous groups.
 */
export class GroupNorm extends Module {
  declare weight?: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _numGroups: number;
  declare private readonly _dims: number;
  declare private readonly _eps: number;
  declare private readonly _pytorchCompatible: boolean;

  constructor(numGroups: number, dims: number, { eps = 1e-5, affine = true, pytorchCompatible = false }: GroupNormOptions = {}) {
    super();
    this._numGroups = numGroups;
    this._dims = dims;
    this._eps = eps;
    this._pytorchCompatible = pytorchCompatible;
    if (affine) {
      this.weight = mx.ones([dims]);
      this.bias = mx.zeros([dims]);
    }
  }

  protected override extraRepr(): string {
    return `${this._numGroups}, ${this._dims}, eps=${pyFloat(this._eps)}, affine=${pyBool(this.weight !== undefined)}, pytorch_compatible=${pyBool(this._pytorchCompatible)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('GroupNorm', x, this._dims);
    if (x.ndim < 2) throw new Error(`[GroupNorm] Expected input with a batch axis, got shape ${shapeStr(x.shape)}.`);
    return mx.tidy(() => {
      const g = this._numGroups;
      const [batch, ...rest] = x.shape as [number, ...number[]];
      const dims = this._dims;
      let y: mx.Array;
      if (this._pytorchCompatible) {
        const size = dims / g;
        y = x.reshape(batch, -1, g, size).transpose(0, 2, 1, 3).reshape(batch, g, -1);
        y = mx.fast.layerNorm(y, null, null, this._eps);
        y = y.reshape(batch, g, -1, size).transpose(0, 2, 1, 3).reshape(x.shape);
      } else {
        const grouped = x.reshape(batch, -1, g);
        const mean = mx.mean(grouped, 1, true);
        const variance = mx.var(grouped, 1, true);
        y = mx.multiply(mx.subtract(grouped, mean), mx.rsqrt(mx.add(variance, this._eps))).reshape([batch, ...rest]);
      }
      return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
    });
  }
}

/** Normalizes each channel over the spatial axes of each sample (axes 1 .. ndim - 2). */
export class InstanceNorm extends Module {
  declare weight?: mx.Array;
  declare bias?: mx.Array;
  declare private readonly _dims: number;
  declare private readonly _eps: number;

  constructor(dims: number, { eps = 1e-5, affine = false }: { eps?: number; affine?: boolean } = {}) {
    super();
    this._dims = dims;
    this._eps = eps;
    if (affine) {
      this.weight = mx.ones([dims]);
      this.bias = mx.zeros([dims]);
    }
  }

  protected override extraRepr(): string {
    return `${this._dims}, eps=${pyFloat(this._eps)}, affine=${pyBool(this.weight !== undefined)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('InstanceNorm', x, this._dims);
    return mx.tidy(() => {
      const axes = Array.from({ length: x.ndim - 2 }, (_v, i) => i + 1);
      const mean = mx.mean(x, axes, true);
      const variance = mx.var(x, axes, true);
      const y = mx.multiply(mx.subtract(x, mean), mx.rsqrt(mx.add(variance, this._eps)));
      return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
    });
  }
}

export interface BatchNormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
  trackRunningStats?: boolean;
}

const RUNNING = ['running_mean', 'running_var'];

/**
 * Normalizes each channel over the batch (and spatial) axes. In training mode the batch
 * statistics are used and `running_mean` / `running_var` (frozen parameters) move towards
 * them by `momentum`; in eval mode the running statistics are used.
 */
export class BatchNorm extends Module {
  declare weight?: mx.Array;
  declare bias?: mx.Array;
  declare running_mean?: mx.Array;
  declare running_var?: mx.Array;
  declare private readonly _numFeatures: number;
  declare private readonly _eps: number;
  declare private readonly _momentum: number;
  declare private readonly _track: boolean;

  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: BatchNormOptions = {}) {
    super();
    this._numFeatures = numFeatures;
    this._eps = eps;
    this._momentum = momentum;
    this._track = trackRunningStats;
    if (affine) {
      this.weight = mx.ones([numFeatures]);
      this.bias = mx.zeros([numFeatures]);
    }
    if (trackRunningStats) {
      this.running_mean = mx.zeros([numFeatures]);
      this.running_var = mx.ones([numFeatures]);
      this.freeze({ keys: RUNNING, recurse: false });
    }
  }

  /** As Module.unfreeze, but the running statistics stay frozen. */
  override unfreeze(options: FreezeOptions = {}): this {
    super.unfreeze(options);
    if (this._track) this.freeze({ keys: RUNNING, recurse: false });
    return this;
  }

  protected override extraRepr(): string {
    return `${this._numFeatures}, eps=${pyFloat(this._eps)}, momentum=${pyFloat(this._momentum)}, affine=${pyBool(this.weight !== undefined)}, track_running_stats=${pyBool(this._track)}`;
  }

  override forward(x: mx.Array): mx.Array {
    expectLastDim('BatchNorm', x, this._numFeatures);
    if (x.ndim < 2 || x.ndim > 4) throw new Error(`[BatchNorm] Expected input tensor to have 2, 3 or 4 dimensions, but got ${x.ndim}.`);
    return mx.tidy(() => {
      const axes = Array.from({ length: x.ndim - 1 }, (_v, i) => i);
      let mean = mx.mean(x, axes);
      let variance = mx.var(x, axes);
      if (this.training && this._track) {
        const mu = this._momentum;
        this.running_mean = mx.add(mx.multiply(1 - mu, this.running_mean!), mx.multiply(mu, mean));
        this.running_var = mx.add(mx.multiply(1 - mu, this.running_var!), mx.multiply(mu, variance));
      } else if (this._track) {
        mean = this.running_mean!;
        variance = this.running_var!;
      }
      const y = mx.multiply(mx.subtract(x, mean), mx.rsqrt(mx.add(variance, this._eps)));
      return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
    });
  }
}

/** Activation modules: each wraps the function of the same name in ../activations.ts. */
import * as mx from '@mlxjs/core';
import * as A from '../activations.js';
import { Module } from '../module.js';

/** A parameterless activation: forward(x) = fn(x). */
abstract class Activation extends Module {
  protected abstract _fn(x: mx.Array): mx.Array;
  override forward(x: mx.Array): mx.Array {
    return this._fn(x);
  }
}

export class Sigmoid extends Activation { protected _fn = A.sigmoid; }
export class Tanh extends Activation { protected _fn = A.tanh; }
export class ReLU extends Activation { protected _fn = A.relu; }
export class ReLU2 extends Activation { protected _fn = A.relu2; }
export class ReLU6 extends Activation { protected _fn = A.relu6; }
export class Softplus extends Activation { protected _fn = A.softplus; }
export class Softsign extends Activation { protected _fn = A.softsign; }
export class SiLU extends Activation { protected _fn = A.silu; }
export class LogSigmoid extends Activation { protected _fn = A.logSigmoid; }
export class SELU extends Activation { protected _fn = A.selu; }
export class Mish extends Activation { protected _fn = A.mish; }
export class Hardswish extends Activation { protected _fn = A.hardswish; }

export class LeakyReLU extends Module {
  declare private readonly _negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this._negativeSlope = negativeSlope;
  }
  override forward(x: mx.Array): mx.Array { return A.leakyRelu(x, this._negativeSlope); }
}

export class ELU extends Module {
  declare private readonly _alpha: number;
  constructor(alpha = 1.0) { super(); this._alpha = alpha; }
  override forward(x: mx.Array): mx.Array { return A.elu(x, this._alpha); }
}

export class CELU extends Module {
  declare private readonly _alpha: number;
  constructor(alpha = 1.0) { super(); this._alpha = alpha; }
  override forward(x: mx.Array): mx.Array { return A.celu(x, this._alpha); }
}

export class Softshrink extends Module {
  declare private readonly _lambd: number;
  constructor(lambd = 0.5) { super(); this._lambd = lambd; }
  override forward(x: mx.Array): mx.Array { return A.softshrink(x, this._lambd); }
}

export class HardShrink extends Module {
  declare private readonly _lambd: number;
  constructor(lambd = 0.5) { super(); this._lambd = lambd; }
  override forward(x: mx.Array): mx.Array { return A.hardShrink(x, this._lambd); }
}

export class HardTanh extends Module {
  declare private readonly _minVal: number;
  declare private readonly _maxVal: number;
  constructor(minVal = -1.0, maxVal = 1.0) { super(); this._minVal = minVal; this._maxVal = maxVal; }
  override forward(x: mx.Array): mx.Array { return A.hardTanh(x, this._minVal, this._maxVal); }
}

export class Step extends Module {
  declare private readonly _threshold: number;
  constructor(threshold = 0.0) { super(); this._threshold = threshold; }
  override forward(x: mx.Array): mx.Array { return A.step(x, this._threshold); }
}

/** Softmax / LogSoftmax / Softmin / GLU over the last axis (MLX's modules take no axis but GLU). */
export class Softmax extends Activation { protected _fn = (x: mx.Array): mx.Array => A.softmax(x); }
export class LogSoftmax extends Activation { protected _fn = (x: mx.Array): mx.Array => A.logSoftmax(x); }
export class Softmin extends Activation { protected _fn = (x: mx.Array): mx.Array => A.softmin(x); }

export class GLU extends Module {
  declare private readonly _axis: number;
  constructor(axis = -1) { super(); this._axis = axis; }
  override forward(x: mx.Array): mx.Array { return A.glu(x, this._axis); }
}

/** GELU: approx 'none' (erf), 'precise' / 'tanh' (geluApprox), 'fast' (geluFastApprox). */
export class GELU extends Module {
  declare private readonly _act: (x: mx.Array) => mx.Array;
  constructor(approx: 'none' | 'precise' | 'tanh' | 'fast' = 'none') {
    super();
    if (approx === 'none') this._act = A.gelu;
    else if (approx === 'precise' || approx === 'tanh') this._act = A.geluApprox;
    else if (approx === 'fast') this._act = A.geluFastApprox;
    else throw new Error(`[GELU] The approximation should be in ['none', 'precise', 'tanh', 'fast'] but '${String(approx)}' was given.`);
  }
  override forward(x: mx.Array): mx.Array { return this._act(x); }
}

/** prelu with a learned slope `weight` [numParameters] (initialised to `init`). */
export class PReLU extends Module {
  declare weight: mx.Array;
  constructor(numParameters = 1, init = 0.25) {
    super();
    this.weight = mx.full([numParameters], init);
  }
  override forward(x: mx.Array): mx.Array { return A.prelu(x, this.weight); }
}

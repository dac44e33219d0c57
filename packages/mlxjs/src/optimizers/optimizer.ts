/**
 * The Optimizer base class: MLX's mlx.optimizers.Optimizer in JavaScript. An optimizer keeps
 * its state as one tree (`step`, `learning_rate`, then per-parameter state shaped like the
 * parameters: `{ l1: { weight: { m, v } } }`), updated in place so that a tree captured by
 * mx.compile (`inputs: [model.state, opt.state]`) stays the live state.
 *
 * Ownership: the optimizer holds every array of its state and frees what it replaces (the
 * old moments, the old step), so a training loop needs no tidy. update / applyGradients
 * consume the gradient tree: its arrays are freed once the update is built, unless
 * mx.keep'd, held by a module, or among the parameters.
 */
import * as mx from '@mlxjs/core';

/** A learning-rate schedule: the value at `step` (an array, as MLX passes the step). */
export type Schedule = (step: mx.Array) => mx.Array;
/** A number, an array or a schedule, as MLX accepts. */
export type LearningRate = number | mx.Array | Schedule;
/** The optimizer's state: a nested plain object (lists where the parameters are lists). */
export type OptimizerState = Record<string, any>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const arraysOf = (tree: unknown): mx.Array[] =>
  mx.utils.treeFlatten(tree).map(([, v]) => v).filter((v): v is mx.Array => v instanceof mx.Array);

/** A copy of `x` the optimizer can own (a new handle, so freeing it leaves the user's). */
export function ownCopy(x: mx.Array): mx.Array {
  return mx.astype(x, x.dtype);
}

/** Frees the gradient arrays an update consumed (never kept, held or parameter arrays). */
export function consumeGradients(gradients: unknown, parameters: unknown, who: string): void {
  const params = new Set(arraysOf(parameters));
  for (const g of arraysOf(gradients)) {
    if (!g.kept && !mx._isHeld(g) && !params.has(g)) g._freeBecause(`${who} consumed it`);
  }
}

export abstract class Optimizer {
  /** @internal */ protected _state: OptimizerState;
  /** @internal */ protected _initialized = false;
  /** @internal */ protected _schedulers: Record<string, Schedule> = {};

  constructor() {
    this._state = {};
    this.put(this._state, 'step', mx.array(0, mx.uint64));
  }

  /** The name used in errors and freed-by messages. */
  protected get opName(): string {
    return `${this.constructor.name}.update`;
  }

  /**
   * Stores `value` at `container[key]`, holding it, and lets go of the array it replaces
   * (freed now unless something else holds or keeps it).
   */
  protected put(container: Record<string | number, any>, key: string | number, value: unknown): void {
    const old = container[key] as unknown;
    if (old === value) return;
    if (value instanceof mx.Array) mx._hold(value);
    container[key] = value;
    if (old instanceof mx.Array) mx._release(old, `${this.opName} replaced it`);
  }

  /** MLX's update: `model.update(this.applyGradients(gradients, model))`. */
  update(model: { update(params: Record<string, unknown>): unknown }, gradients: unknown): void {
    model.update(this.applyGradients(gradients, model) as Record<string, unknown>);
  }

  /**
   * Creates the per-parameter state for every parameter that has none yet (existing state,
   * e.g. assigned back to resume, is kept). Called by the first update when not called before.
   */
  init(parameters: unknown): void {
    const walk = (params: unknown, state: any): void => {
      if (Array.isArray(params)) {
        params.forEach((child, i) => {
          if (state[i] === undefined || !(Array.isArray(state[i]) || isPlainObject(state[i]))) state[i] = emptyLike(child);
          walkOrInit(child, state, i);
        });
      } else if (isPlainObject(params)) {
        for (const [k, child] of Object.entries(params)) {
          if (state[k] === undefined) state[k] = emptyLike(child);
          walkOrInit(child, state, k);
        }
      }
    };
    const walkOrInit = (param: unknown, container: any, key: string | number): void => {
      const state = container[key];
      if (param instanceof mx.Array) {
        if (isPlainObject(state) && Object.keys(state).length === 0) this.initSingle(param, state);
      } else walk(param, state);
    };
    walk(plain(parameters), this._state);
    this._initialized = true;
  }

  /** Fills `state` (an empty object) with the state of one parameter. */
  protected abstract initSingle(parameter: mx.Array, state: OptimizerState): void;

  /**
   * The updated parameters (a tree shaped like `gradients`), advancing the step and the
   * schedules. Consumes `gradients`.
   */
  applyGradients(gradients: unknown, parameters: unknown): any {
    return mx.tidy(() => {
      if (!this._initialized) this.init(gradients);
      for (const [name, schedule] of Object.entries(this._schedulers)) this.put(this._state, name, schedule(this.step));
      this.put(this._state, 'step', mx.add(this.step, 1));
      const out = mx.utils.treeMap(
        (g: unknown, p: unknown, s: unknown) => (g instanceof mx.Array ? this.applySingle(g, p as mx.Array, s as OptimizerState) : g),
        gradients,
        parameters,
        this._state,
      );
      consumeGradients(gradients, parameters, this.opName);
      return out;
    });
  }

  /** The new value of one parameter; writes its state with put(). */
  protected abstract applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array;

  /** The state tree (live: updated in place by every update). */
  get state(): OptimizerState {
    return this._state;
  }

  /**
   * Replaces the state (e.g. `treeUnflatten` of saved pairs to resume); the optimizer holds
   * the new arrays and lets go of the old. Missing per-parameter state is created by the next
   * update.
   */
  set state(state: OptimizerState) {
    const fresh = arraysOf(state);
    for (const a of fresh) mx._hold(a);
    const old = arraysOf(this._state);
    this._state = state;
    this._initialized = false;
    for (const a of old) mx._release(a, `an assignment to ${this.constructor.name}.state replaced it`);
  }

  /** The number of updates so far (a uint64 array). */
  get step(): mx.Array {
    return this._state.step as mx.Array;
  }

  /** The current learning rate (an array). */
  get learningRate(): mx.Array {
    return this._state.learning_rate as mx.Array;
  }

  /** Sets the learning rate to a number or an array (the optimizer keeps its own copy). */
  set learningRate(lr: number | mx.Array) {
    mx.tidy(() => this.put(this._state, 'learning_rate', lr instanceof mx.Array ? ownCopy(lr) : mx.array(lr)));
  }

  /** MLX's _maybe_schedule: a schedule is remembered and evaluated at the current step. */
  protected maybeSchedule(name: string, value: LearningRate): void {
    if (typeof value === 'function') this._schedulers[name] = value;
    mx.tidy(() => {
      const v = typeof value === 'function' ? value(this.step) : value instanceof mx.Array ? ownCopy(value) : mx.array(value);
      this.put(this._state, name, v);
    });
  }

  /** Lets go of the whole state (arrays nothing else holds are freed). */
  dispose(): void {
    for (const a of arraysOf(this._state)) mx._release(a, `${this.constructor.name}.dispose() released it`);
    this._state = {};
    this._initialized = false;
  }
}

/** The plain tree a Module stands for (its state view), or the value. */
function plain(tree: unknown): unknown {
  return mx.utils.treeMap((x: unknown) => x, tree);
}

/** Empty per-parameter state containers shaped like `params` (a leaf gets `{}`). */
function emptyLike(params: unknown): unknown {
  return mx.utils.treeMap(() => ({}), params);
}

/** MultiOptimizer: MLX's; each parameter goes to the first optimizer whose filter takes it. */
import * as mx from '@mlxjs/core';
import { Optimizer, type OptimizerState } from './optimizer.js';

/** `filter(path, gradient)`: true when this optimizer updates the parameter at `path`. */
export type ParameterFilter = (path: string, gradient: unknown) => boolean;

export class MultiOptimizer extends Optimizer {
  readonly optimizers: readonly Optimizer[];
  private readonly filters: ParameterFilter[];

  /** `filters` has one entry less than `optimizers`: the last optimizer takes the rest. */
  constructor(optimizers: readonly Optimizer[], filters: readonly ParameterFilter[] = []) {
    super();
    this.dispose();
    if (filters.length !== optimizers.length - 1) {
      throw new Error(`[MultiOptimizer] Given ${filters.length} filters but ${optimizers.length - 1} needed.`);
    }
    this.optimizers = optimizers;
    this.filters = [...filters, () => true];
  }

  private split(gradients: unknown): unknown[] {
    if (this.optimizers.length === 1) return [gradients];
    const parts: [string, unknown][][] = this.optimizers.map(() => []);
    for (const [k, g] of mx.utils.treeFlatten(gradients)) {
      const i = this.filters.findIndex((fn) => fn(k, g));
      parts[i]!.push([k, g]);
    }
    return parts.map((p) => mx.utils.treeUnflatten(p));
  }

  override init(parameters: unknown): void {
    const parts = this.split(parameters);
    this.optimizers.forEach((o, i) => o.init(parts[i]));
  }

  protected initSingle(): void {
    throw new Error('[MultiOptimizer] initSingle is its optimizers’.');
  }

  protected applySingle(): mx.Array {
    throw new Error('[MultiOptimizer] applySingle is its optimizers’.');
  }

  override applyGradients(gradients: unknown, parameters: unknown): any {
    const parts = this.split(gradients);
    let tree: unknown = {};
    this.optimizers.forEach((o, i) => {
      tree = mx.utils.treeMerge(tree, o.applyGradients(parts[i], parameters));
    });
    return tree;
  }

  /** `{ states: [each optimizer's state] }`. */
  override get state(): OptimizerState {
    return { states: this.optimizers.map((o) => o.state) };
  }

  override set state(state: OptimizerState) {
    const states = state.states as OptimizerState[] | undefined;
    if (!Array.isArray(states) || states.length !== this.optimizers.length) throw new Error('[MultiOptimizer] Invalid state provided.');
    this.optimizers.forEach((o, i) => {
      o.state = states[i]!;
    });
  }

  override get learningRate(): mx.Array {
    return this.optimizers[0]!.learningRate;
  }

  override set learningRate(lr: number | mx.Array) {
    for (const o of this.optimizers) o.learningRate = lr;
  }

  override dispose(): void {
    super.dispose();
    for (const o of this.optimizers ?? []) o.dispose();
  }
}

/**
 * nn.valueAndGrad(model, fn): the gradient of `fn` with respect to the model's trainable
 * parameters. As MLX's, the parameters go in as the differentiated argument and are put
 * into the model for the call; here the original arrays are put back afterwards (the
 * tracers live only for the call), without ownership bookkeeping for either swap.
 *
 * The value and the gradients are evaluated together before returning. A lazy loss that
 * nobody reads would otherwise keep its whole forward graph (and the replaced parameters'
 * buffers) alive until the garbage collector finds it, so a training loop would grow between
 * collections; evaluated, it holds one scalar. Under mx.compile / mx.vmap (placeholder
 * inputs, nothing to evaluate) the results stay lazy.
 */
import * as mx from '@mlxjs/core';
import { Module, type Params, withoutOwnership } from './module.js';

export function valueAndGrad<A extends unknown[], R extends mx.Array | readonly unknown[]>(
  model: Module,
  fn: (...args: A) => R,
): (...args: A) => [R, Params] {
  if (!(model instanceof Module)) throw new TypeError('[value_and_grad] The first argument must be an nn.Module.');
  const inner = (params: Params, ...args: A): R => {
    const saved = model.trainableParameters();
    withoutOwnership(() => model.update(params, false));
    try {
      return fn(...args);
    } finally {
      withoutOwnership(() => model.update(saved, false));
    }
  };
  const vg = mx.valueAndGrad(inner as unknown as (...a: unknown[]) => mx.Array);
  return (...args: A): [R, Params] => {
    const out = vg(model.trainableParameters(), ...args) as [R, Params];
    try {
      mx.eval(out);
    } catch (e) {
      if (!(e instanceof Error && e.message.startsWith('[eval] Attempting to evaluate an array without a value'))) throw e;
    }
    return out;
  };
}

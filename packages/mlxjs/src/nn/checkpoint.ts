/**
 * nn.checkpoint(module, fn?): MLX's gradient checkpointing of a module call. The module's
 * trainable parameters go into mx.checkpoint as inputs (so their gradients flow), swapped
 * into the module for the call and swapped back afterwards, as nn.valueAndGrad does.
 */
import * as mx from '@mlxjs/core';
import { Module, type Params, withoutOwnership } from './module.js';

export function checkpoint<A extends unknown[]>(module: Module, fn?: (...args: A) => unknown): (...args: A) => unknown {
  const call = fn ?? ((...args: A): unknown => module.forward(...args));
  const inner = (params: Params, arrays: mx.Array[], others: unknown[]): unknown => {
    const saved = module.trainableParameters();
    withoutOwnership(() => module.update(params, false));
    try {
      let ai = 0;
      const args = others.map((o) => (o === ARRAY ? arrays[ai++] : o)) as A;
      return call(...args);
    } finally {
      withoutOwnership(() => module.update(saved, false));
    }
  };
  return (...args: A): unknown => {
    // mx.checkpoint takes trees of arrays: non-array arguments (null masks) ride outside.
    const arrays = args.filter((a): a is mx.Array => a instanceof mx.Array);
    const others = args.map((a) => (a instanceof mx.Array ? ARRAY : a));
    const ck = mx.checkpoint((params: Params, xs: mx.Array[]) => inner(params, xs, others) as mx.Array);
    return ck(module.trainableParameters(), arrays);
  };
}

const ARRAY = Symbol('array argument');

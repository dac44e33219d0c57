/** Input checks shared by the layers: errors name the layer, as `[Linear] Expected ...`. */
import * as mx from '@mlxjs/core';

const str = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function expectArray(layer: string, x: unknown, what = 'input'): asserts x is mx.Array {
  if (!(x instanceof mx.Array)) throw new TypeError(`[${layer}] Expected ${what} to be an array, got ${x === null ? 'null' : typeof x}.`);
}

/** The last dimension must be `dims`. */
export function expectLastDim(layer: string, x: unknown, dims: number, what = 'input'): asserts x is mx.Array {
  expectArray(layer, x, what);
  const last = x.shape[x.ndim - 1];
  if (x.ndim === 0 || last !== dims) {
    throw new Error(`[${layer}] Expected ${what} with last dimension ${dims}, got ${x.ndim === 0 ? 'a scalar' : String(last)}.`);
  }
}

/** The rank must be one of `ranks`. */
export function expectRank(layer: string, x: unknown, ranks: readonly number[], layout: string): asserts x is mx.Array {
  expectArray(layer, x);
  if (!ranks.includes(x.ndim)) throw new Error(`[${layer}] Expected input of shape ${layout}, got shape ${str(x.shape)}.`);
}

export { str as shapeStr };

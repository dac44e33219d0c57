/** mx.depends: MLX's ordering op (core: transforms/custom.h `depends`, registered in c_api/ops_custom.cpp). */
import { MxArray } from '../array.js';
import { describe } from '../operands.js';
import { callOpMulti } from './call.js';

/**
 * `inputs` unchanged (same shapes, dtypes and values, sharing their buffers), as new arrays
 * that are computed only after every array of `dependencies`. Gradients flow to `inputs`
 * only. MLX's `depends(inputs, dependencies)`.
 */
export function depends(inputs: readonly MxArray[], dependencies: readonly MxArray[]): MxArray[] {
  const check = (xs: readonly MxArray[], what: string): void => {
    if (!Array.isArray(xs)) throw new TypeError(`[depends] Expected ${what} to be a list of arrays, got ${describe(xs)}.`);
    xs.forEach((x) => {
      if (!(x instanceof MxArray)) throw new TypeError(`[depends] Expected ${what} to hold arrays, got ${describe(x)}.`);
    });
  };
  check(inputs, 'inputs');
  check(dependencies, 'dependencies');
  if (inputs.length === 0) throw new Error('[depends] Expected at least one input.');
  return callOpMulti('depends', [...inputs, ...dependencies], { numInputs: inputs.length });
}

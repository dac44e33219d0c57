// Evaluates a program with the float64 reference on other input values (the gradient
// fuzzer's finite differences): every op runs its reference kernel in pure float64.
import { opByName } from './ops.js';
import type { Program } from './generate.js';

/** Every node's values with the inputs replaced by `inputs` (node index -> values). */
export function evaluate(p: Program, inputs: ReadonlyMap<number, Float64Array>): Float64Array[] {
  const vals: Float64Array[] = [];
  p.nodes.forEach((n, i) => {
    if (n.op === 'input') {
      vals.push(inputs.get(i) ?? n.f);
      return;
    }
    const args = n.args.map((a) => ({ shape: p.nodes[a]!.shape, dtype: p.nodes[a]!.dtype, data: vals[a]! }));
    vals.push(opByName(n.op).ref(args, n.params, { shape: n.shape, dtype: n.dtype }, true));
  });
  return vals;
}

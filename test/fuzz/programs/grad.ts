// The gradient fuzzer's checks of one smooth float32 program (generate(..., 'smooth')):
// mx.vjp, mx.grad and mx.jvp against central differences of the float64 reference, and
// mx.vmap of the program against a loop over the batch. The program's float32 inputs are the
// function's arguments; every op node is an output.
import * as mx from 'mlxjs';
import { rng } from '../values.js';
import { evaluate } from './evaluate.js';
import type { Program } from './generate.js';
import { nodeLine } from './run.js';
import { sizeOf } from './tensor.js';

/** Central-difference step; the reference is float64 and every kink is >= 0.05 away. */
const STEP = 1e-5;

export interface GradParts {
  /** Indices of the differentiated inputs (the float32 input nodes). */
  params: number[];
  /** Indices of the outputs (op nodes). */
  outputs: number[];
  /** The function as code: (mx, v<param>...) => [outputs]. */
  body: string;
  fn: (...xs: mx.Array[]) => mx.Array[];
}

const v = (i: number): string => `v${i}`;

/** The program as a function of its float32 inputs (index inputs stay constants inside). */
export function gradParts(p: Program): GradParts {
  const params = p.nodes.map((n, i) => (n.op === 'input' && n.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
  const outputs = p.nodes.map((n, i) => (n.op !== 'input' ? i : -1)).filter((i) => i >= 0);
  const lines = p.nodes.map((n, i) => (params.includes(i) ? null : nodeLine(n, i)));
  const body = [...lines.filter((l) => l !== null), `return [${outputs.map(v).join(', ')}];`].join('\n');
  const fn = new Function('mx', ...params.map(v), body) as (m: typeof mx, ...xs: mx.Array[]) => mx.Array[];
  return { params, outputs, body, fn: (...xs) => fn(mx, ...xs) };
}

const read = (a: mx.Array): Float64Array => Float64Array.from(a.astype(mx.float64).toTypedArray() as Float64Array);

function close(what: string, got: Float64Array, want: Float64Array, rtol: number): string | null {
  const scale = want.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!;
    const w = want[k]!;
    if (!(Math.abs(g - w) <= rtol * (scale + Math.abs(w)))) return `${what} element ${k}: ${g}, expected ${w}`;
  }
  return null;
}

/** The problems found in program `p` (empty when every check passes). */
export function checkGradients(p: Program): string[] {
  const g = gradParts(p);
  if (g.params.length === 0 || g.outputs.length === 0) return [];
  const problems: string[] = [];
  const r = rng(p.seed ^ 0x5eed, p.index);
  const rand = (n: number): Float64Array => Float64Array.from({ length: n }, () => Math.fround(-1 + 2 * r()));
  const nodes = p.nodes;
  const cots = g.outputs.map((o) => rand(sizeOf(nodes[o]!.shape)));
  const tans = g.params.map((i) => rand(sizeOf(nodes[i]!.shape)));
  const base = new Map(g.params.map((i) => [i, nodes[i]!.f]));

  // The objective sum_j <out_j, c_j> and its derivatives from the float64 reference.
  const objective = (inputs: Map<number, Float64Array>): number => {
    const vals = evaluate(p, inputs);
    return g.outputs.reduce((s, o, j) => s + vals[o]!.reduce((t, x, k) => t + x * cots[j]![k]!, 0), 0);
  };
  const numericGrad = g.params.map((i) => {
    const x = nodes[i]!.f;
    return Float64Array.from(x, (_, k) => {
      const at = (d: number): number => {
        const moved = Float64Array.from(x);
        moved[k]! += d;
        return objective(new Map([...base, [i, moved]]));
      };
      return (at(STEP) - at(-STEP)) / (2 * STEP);
    });
  });
  const shifted = (sign: number): Float64Array[] =>
    evaluate(p, new Map(g.params.map((i, q) => [i, nodes[i]!.f.map((x, k) => x + sign * STEP * tans[q]![k]!)])));
  const up = shifted(1);
  const down = shifted(-1);
  const numericJvp = g.outputs.map((o) => up[o]!.map((x, k) => (x - down[o]![k]!) / (2 * STEP)));

  mx.tidy(() => {
    const primals = g.params.map((i) => mx.array(nodes[i]!.f, nodes[i]!.shape, mx.float32));
    const cotArrays = g.outputs.map((o, j) => mx.array(cots[j]!, nodes[o]!.shape, mx.float32));
    const [, vjps] = mx.vjp(g.fn, primals, cotArrays);
    g.params.forEach((_, q) => {
      const e = close(`vjp of v${g.params[q]}`, read(vjps[q]!), numericGrad[q]!, 2e-3);
      if (e) problems.push(e);
    });
    const loss = (...xs: mx.Array[]): mx.Array =>
      g.fn(...xs).reduce((s: mx.Array, out, j) => mx.add(s, mx.sum(mx.multiply(out, cotArrays[j]!))), mx.array(0));
    const grads = mx.grad(loss, g.params.map((_, q) => q))(...primals) as mx.Array[];
    g.params.forEach((_, q) => {
      const e = close(`grad of v${g.params[q]}`, read(grads[q]!), numericGrad[q]!, 2e-3);
      if (e) problems.push(e);
    });
    const tanArrays = g.params.map((i, q) => mx.array(tans[q]!, nodes[i]!.shape, mx.float32));
    const [, jvps] = mx.jvp(g.fn, primals, tanArrays);
    g.outputs.forEach((o, j) => {
      const e = close(`jvp of v${o}`, read(jvps[j]!), numericJvp[j]!, 2e-3);
      if (e) problems.push(e);
    });
    const vm = checkVmap(p, g, r, primals);
    if (vm) problems.push(vm);
  });
  return problems;
}

/** mx.vmap of the program over a batch of 3 (a random axis per input, or unbatched) against a loop. */
function checkVmap(p: Program, g: GradParts, r: () => number, primals: mx.Array[]): string | null {
  const B = 3;
  const inAxes: (number | null)[] = primals.map((x) => (r() < 0.25 ? null : Math.floor(r() * (x.ndim + 1))));
  if (!inAxes.some((a) => a !== null)) inAxes[0] = 0;
  // Each batch entry: the input moved by a little noise (the same function, other values).
  const entries = primals.map((x, q) =>
    Array.from({ length: B }, () => (inAxes[q] === null ? x : mx.add(x, mx.array(Float64Array.from({ length: x.size }, () => 0.01 * (r() - 0.5)), x.shape, mx.float32)))),
  );
  const batched = primals.map((x, q) => (inAxes[q] === null ? x : mx.stack(entries[q]!, inAxes[q]!)));
  let mapped: mx.Array[];
  try {
    mapped = mx.vmap((...xs: mx.Array[]) => g.fn(...xs), inAxes, 0)(...batched) as mx.Array[];
  } catch (e) {
    return `vmap threw: ${(e as Error).message} (inAxes ${JSON.stringify(inAxes)})`;
  }
  const loop = Array.from({ length: B }, (_, b) => g.fn(...entries.map((xs) => xs[b]!)));
  for (let j = 0; j < g.outputs.length; j++) {
    const want = mx.stack(loop.map((outs) => outs[j]!), 0);
    const got = mapped[j]!;
    if (got.shape.join() !== want.shape.join()) return `vmap of v${g.outputs[j]} (inAxes ${JSON.stringify(inAxes)}): shape ${JSON.stringify(got.shape)}, loop ${JSON.stringify(want.shape)}`;
    const e = close(`vmap of v${g.outputs[j]} (inAxes ${JSON.stringify(inAxes)})`, read(got), read(want), 1e-4);
    if (e) return e;
  }
  return null;
}

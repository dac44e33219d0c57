// Runs a random program on the current backend and judges it against the float64 reference:
// the program is written as mlxjs code and that code is what runs (new Function), so the
// reproducer printed for a mismatch is the program itself. Every node is an output, so the
// first op whose result differs is found, and the reproducer is cut down to that one op over
// constant inputs (the reference values of its operands) when that still shows the mismatch.
import * as mx from 'mlxjs';
import { opByName } from './ops.js';
import type { PNode, Program } from './generate.js';
import { type Dt, isFloat } from './tensor.js';

/** A node's name in the code. */
const v = (i: number): string => `v${i}`;

function literal(xs: Float64Array): string {
  return `[${Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(', ')}]`;
}

/** Node `i` as a line of code: an input as an array of its values, an op as its call. */
export function nodeLine(n: PNode, i: number): string {
  if (n.op === 'input') return `const ${v(i)} = mx.array(new Float64Array(${literal(n.r)}), ${JSON.stringify(n.shape)}, mx.${n.dtype});`;
  return `const ${v(i)} = ${opByName(n.op).code(n.args.map(v), n.params)};`;
}

/** The program as mlxjs code: inputs as arrays, then one const per op; returns every node. */
export function programCode(p: Program, withReturn = true): string {
  const lines = p.nodes.map(nodeLine);
  if (withReturn) lines.push(`return [${p.nodes.map((_, i) => v(i)).join(', ')}];`);
  return lines.join('\n');
}

/** What one backend computed for each node, or the error it threw. */
export interface RunResult {
  outputs?: { shape: number[]; dtype: string; data: number[] }[];
  error?: string;
}

function flatten(x: unknown, out: number[]): number[] {
  if (Array.isArray(x)) for (const e of x) flatten(e, out);
  else out.push(typeof x === 'boolean' ? (x ? 1 : 0) : Number(x));
  return out;
}

/** Runs the program's code on the current backend and reads every node back. */
export function runProgram(p: Program): RunResult {
  try {
    const body = programCode(p);
    const fn = new Function('mx', body) as (m: typeof mx) => mx.Array[];
    const outputs = mx.tidy(() => {
      const arrays = fn(mx);
      mx.eval(arrays);
      return arrays.map((a) => ({ shape: a.shape, dtype: String(a.dtype), data: flatten(a.tolist(), []) }));
    });
    return { outputs };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export interface Mismatch {
  node: number;
  what: string;
}

/** How node `i`'s values compare with the reference; null when they agree. */
export function judgeNode(n: PNode, got: { shape: number[]; dtype: string; data: number[] }): string | null {
  if (got.shape.join() !== n.shape.join()) return `shape ${JSON.stringify(got.shape)}, reference ${JSON.stringify(n.shape)}`;
  if (got.dtype !== n.dtype) return `dtype ${got.dtype}, reference ${n.dtype}`;
  for (let k = 0; k < n.r.length; k++) {
    const want = n.r[k]!;
    const have = got.data[k]!;
    if (n.exact || !isFloat(n.dtype as Dt)) {
      // Exact results agree exactly, except for the sign of a zero, which MLX leaves to the
      // kernels (min of -0 and 0); the one op that shows it (arctan2) never sees a zero.
      if (have !== want) return `element ${k}: ${have}, reference ${want} (exact)`;
      continue;
    }
    // The tolerance: the node's error budget plus how far rounding moved the result at all.
    const allowed = n.tol + 8 * Math.abs(want - n.f[k]!);
    if (!(Math.abs(have - want) <= allowed)) return `element ${k}: ${have}, reference ${want} (float64 ${n.f[k]}, allowed error ${allowed.toExponential(2)})`;
  }
  return null;
}

/** The first node (in program order) that differs, or the run's error. */
export function judge(p: Program, res: RunResult): Mismatch | null {
  if (res.error !== undefined) return { node: -1, what: `threw: ${res.error}` };
  for (let i = 0; i < p.nodes.length; i++) {
    const what = judgeNode(p.nodes[i]!, res.outputs![i]!);
    if (what !== null) return { node: i, what };
  }
  return null;
}

/** The program cut down to node `i` and its ancestors. */
export function ancestors(p: Program, i: number): Program {
  const keep = new Set<number>();
  const visit = (k: number): void => {
    if (keep.has(k)) return;
    keep.add(k);
    for (const a of p.nodes[k]!.args) visit(a);
  };
  visit(i);
  const order = [...keep].sort((x, y) => x - y);
  const remap = new Map(order.map((k, j) => [k, j]));
  return { ...p, nodes: order.map((k) => ({ ...p.nodes[k]!, args: p.nodes[k]!.args.map((a) => remap.get(a)!) })) };
}

/** Node `i` alone over constant inputs holding its operands' reference values. */
export function isolated(p: Program, i: number): Program {
  const n = p.nodes[i]!;
  const inputs: PNode[] = n.args.map((a) => {
    const m = p.nodes[a]!;
    return { op: 'input', args: [], params: {}, shape: m.shape, dtype: m.dtype, exact: true, r: m.r, f: m.r, tol: 0 };
  });
  return { ...p, nodes: [...inputs, { ...n, args: inputs.map((_, k) => k), tol: n.exact ? 0 : n.tol }] };
}

/** The smallest program that still shows the mismatch on the current backend, as code. */
export function reproducer(p: Program, m: Mismatch): { code: string; program: Program } {
  let small = m.node >= 0 ? ancestors(p, m.node) : p;
  if (m.node >= 0 && p.nodes[m.node]!.op !== 'input') {
    const one = isolated(p, m.node);
    if (judge(one, runProgram(one)) !== null) small = one;
  }
  return { code: programCode(small, false), program: small };
}

/** The reference values of the last node of a program (for reports). */
export function referenceOf(p: Program): number[] {
  return Array.from(p.nodes[p.nodes.length - 1]!.r);
}

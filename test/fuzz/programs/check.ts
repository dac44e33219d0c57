// One random program checked on the current backend, for the scripts (worker.ts) and the
// suite (test/fuzz_programs.test.ts): the differential check against the float64 reference
// or the gradient checks, with what to print when it fails.
import { generate } from './generate.js';
import { checkGradients, gradParts } from './grad.js';
import { judge, nodeLine, reproducer, runProgram } from './run.js';

export type Kind = 'diff' | 'grad';

export interface ProgramOutcome {
  i: number;
  backend: string;
  /** Ops in the program (inputs not counted). */
  ops: number;
  /** Empty when the program passed. */
  problems: string[];
  /** The program (diff: cut down to the smallest that still fails) as mlxjs code. */
  code?: string;
}

const countOps = (nodes: { op: string }[]): number => nodes.filter((n) => n.op !== 'input').length;

/** Program `i` of `seed`, checked on the backend that is current now. */
export function checkProgram(kind: Kind, seed: number, i: number, backend: string): ProgramOutcome {
  if (kind === 'diff') {
    const p = generate(seed, i, 'diff');
    const out: ProgramOutcome = { i, backend, ops: countOps(p.nodes), problems: [] };
    const m = judge(p, runProgram(p));
    if (m !== null) {
      const rep = reproducer(p, m);
      const at = m.node >= 0 ? `v${m.node} = ${p.nodes[m.node]!.op}(...)` : 'the program';
      out.problems.push(`${at}: ${m.what}`);
      out.code = rep.code;
    }
    return out;
  }
  const p = generate(seed, i, 'smooth');
  const out: ProgramOutcome = { i, backend, ops: countOps(p.nodes), problems: [] };
  try {
    out.problems = checkGradients(p);
  } catch (e) {
    out.problems = [`threw: ${e instanceof Error ? e.message : String(e)}`];
  }
  if (out.problems.length > 0) {
    const g = gradParts(p);
    const inputs = g.params.map((k) => nodeLine(p.nodes[k]!, k));
    out.code = `// f(${g.params.map((k) => `v${k}`).join(', ')}) over the float32 inputs:\n${inputs.join('\n')}\nconst f = (${g.params.map((k) => `v${k}`).join(', ')}) => {\n${g.body}\n};`;
  }
  return out;
}

// The suite's short, fixed-seed run of the program fuzzers (the full runs: `npm run fuzz:diff`
// and `npm run fuzz:grad`, docs/TESTING.md): random op programs must match the float64
// reference on every backend, and random smooth programs' grad, vjp and jvp must match
// central differences and their vmap a loop. A failure lists each program with its code and
// the command that runs it alone.
import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import { checkProgram, type Kind, type ProgramOutcome } from './fuzz/programs/check.js';

const SEED = 11;
const DIFF_PROGRAMS = 600;
const GRAD_PROGRAMS = 120;
/** Programs per test: short tests let vitest's worker answer between them. */
const CHUNK = { diff: 150, grad: 30 };

function report(kind: Kind, failed: ProgramOutcome[]): string[] {
  return failed.map((o) => `program ${o.i}: ${o.problems.join('; ')}\n  npm run fuzz:${kind} -- --seed ${SEED} --backends ${o.backend} --only ${o.i}\n${o.code ?? ''}`);
}

describeEachBackend(`program fuzz (seed ${SEED})`, (backend) => {
  for (const [kind, total] of [['diff', DIFF_PROGRAMS], ['grad', GRAD_PROGRAMS]] as const) {
    for (let from = 0; from < total; from += CHUNK[kind]) {
      const to = Math.min(total, from + CHUNK[kind]);
      const what = kind === 'diff' ? 'match the float64 reference' : 'grad/vjp/jvp match finite differences, vmap matches a loop';
      it(`${kind} programs ${from}-${to - 1}: ${what}`, () => {
        const failed: ProgramOutcome[] = [];
        let ops = 0;
        for (let i = from; i < to; i++) {
          const o = checkProgram(kind, SEED, i, backend);
          ops += o.ops;
          if (o.problems.length > 0) failed.push(o);
        }
        expect(report(kind, failed)).toEqual([]);
        expect(ops).toBeGreaterThan((to - from) * (kind === 'diff' ? 3 : 2)); // the programs do hold ops
      });
    }
  }
});

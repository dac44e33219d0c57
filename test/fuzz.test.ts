// A short fixed-seed fuzz run in the suite (the full runs: `npm run fuzz`, docs/TESTING.md):
// random and malformed calls to every exported function must return or throw an "[op]"
// Error, leave no live array behind and leave the arrays that existed before intact.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { type Outcome, runCall, startFuzz } from './fuzz/run-call.js';

const CALLS = 1500;

describeEachBackend('fuzz (seed 7)', () => {
  it(`${CALLS} random calls: only [op] errors, no leaks, no changed arrays`, async () => {
    const fuzz = startFuzz(7);
    const problems: Outcome[] = [];
    let returned = 0;
    for (let i = 0; i < CALLS; i++) {
      const o = await runCall(fuzz, i);
      if (o.kind === 'ok') returned++;
      else if (o.kind !== 'op-error') problems.push(o);
    }
    for (const a of fuzz.pool.arrays) a.dispose();
    mx.setMemoryLimit(0); // back to the default
    // Each problem with the call that shows it: `npm run fuzz -- --seed 7 --only <i> --verbose`.
    expect(problems.map((o) => `#${o.i} ${o.kind}: ${o.call.slice(0, 120)} -> ${o.message ?? ''}`)).toEqual([]);
    expect(returned).toBeGreaterThan(CALLS / 10); // the calls do reach the ops, not only the checks
  });
});

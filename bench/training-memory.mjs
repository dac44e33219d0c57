// The spec's training loop for many steps, eager and compiled, on an MLP and a small
// transformer, reporting memory as it goes (bench/training-memory-loop.mjs). Nothing may grow
// but the scalar losses not yet collected; after a collection the counts are flat.
//   node --expose-gc bench/training-memory.mjs [steps=10000] [backend] [mlp,transformer]
// Chromium: node bench/training-memory-browser.mjs [steps].
import * as mx from 'mlxjs';
import { trainingMemory } from './training-memory-loop.mjs';

const steps = Number(process.argv[2] ?? 10000);
await mx.init(process.argv[3] ? { backend: process.argv[3] } : {});
if (!globalThis.gc) console.log('(run with node --expose-gc: without it the end-of-run collection cannot be forced)');
for (const model of (process.argv[4] ?? 'mlp,transformer').split(',')) {
  for (const compiled of [false, true]) await trainingMemory({ model, steps, compiled, log: console.log });
}

// `npm run demo`: trains a small classifier with mlxjs in Node: an MLP on three generated
// spirals (examples/spirals.mjs): nn.Sequential, nn.valueAndGrad and optimizers.Adam, a progress bar
// with the loss as it falls, and the final accuracy.
import * as mx from 'mlxjs';
import { createTrainer, makeSpirals } from './spirals.mjs';

// DEMO_BACKEND=wasm forces a backend; by default init() picks the best one here.
const backend = await mx.init(process.env.DEMO_BACKEND ? { backend: process.env.DEMO_BACKEND } : {});
const steps = Number(process.env.DEMO_STEPS ?? 300);
const trainer = createTrainer();
console.log(`mlxjs demo: a 2-64-64-3 MLP on ${trainer.data.n} points of 3 spirals, ${steps} Adam steps, backend '${backend}'`);

const barWidth = 30;
const tty = process.stdout.isTTY;
const started = performance.now();
let first = NaN;
let loss = NaN;
for (let step = 1; step <= steps; step++) {
  loss = trainer.step();
  if (step === 1) first = loss;
  const report = step === 1 || step % 25 === 0 || step === steps;
  if (tty || report) {
    const filled = Math.round((step / steps) * barWidth);
    const bar = '#'.repeat(filled) + '.'.repeat(barWidth - filled);
    const line = `[${bar}] step ${String(step).padStart(4)}/${steps}  loss ${loss.toFixed(4)}`;
    // On a terminal the bar redraws in place; in a log each report is one line.
    if (tty) process.stdout.write(`\r${line}${report ? '\n' : ''}`);
    else console.log(line);
  }
}
const seconds = (performance.now() - started) / 1000;
const accuracy = trainer.accuracy();
// Fresh points from the same spirals (another seed), never seen in training.
const heldOut = trainer.accuracy(makeSpirals({ seed: 2 }));
const pct = (a) => `${(a * 100).toFixed(1)}%`;
console.log(`loss ${first.toFixed(4)} -> ${loss.toFixed(4)} in ${seconds.toFixed(1)} s`);
console.log(`accuracy: ${pct(accuracy)} on the training points, ${pct(heldOut)} on 600 held-out points`);
trainer.dispose();
if (!(loss < first / 4 && heldOut > 0.9)) {
  console.error('demo: the model did not learn the spirals');
  process.exit(1);
}

// The training-loop memory run in a page (bench/training-memory-browser.mjs drives it):
// ?steps=N&models=mlp,transformer. Writes the results as JSON into #out.
import * as mx from 'mlxjs';
import { trainingMemory } from '../training-memory-loop.mjs';

const params = new URLSearchParams(location.search);
const steps = Number(params.get('steps') ?? 10000);
const logEl = document.getElementById('log');
const log = (line) => {
  logEl.textContent += `${line}\n`;
  console.log(line);
};
try {
  await mx.init();
  const results = [];
  for (const model of (params.get('models') ?? 'mlp,transformer').split(',')) {
    for (const compiled of [false, true]) results.push(await trainingMemory({ model, steps, compiled, log }));
  }
  document.getElementById('out').textContent = JSON.stringify({ gc: typeof globalThis.gc === 'function', crossOriginIsolated, results });
} catch (e) {
  document.getElementById('out').textContent = JSON.stringify({ error: String(e?.stack ?? e) });
}

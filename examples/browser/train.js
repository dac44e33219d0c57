// Trains the spirals classifier (../spirals.mjs) in the page and draws the loss as it
// falls. State is also left on window.mlxjsDemo for the browser test
// (test/e2e/example.test.ts): { backend, losses, accuracy, done, error }.
import * as mx from 'mlxjs';
import { createTrainer } from '../spirals.mjs';

const params = new URLSearchParams(location.search);
const steps = Number(params.get('steps') ?? 300);
const canvas = document.getElementById('loss');
const status = document.getElementById('status');
const state = (window.mlxjsDemo = { backend: null, losses: [], accuracy: null, done: false, error: null });

/** Loss (log scale) against step, with the axes labelled. */
function draw(losses) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = 40;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = '#999';
  ctx.beginPath();
  ctx.moveTo(pad, 10);
  ctx.lineTo(pad, height - pad);
  ctx.lineTo(width - 10, height - pad);
  ctx.stroke();
  ctx.fillStyle = '#555';
  ctx.font = '12px sans-serif';
  ctx.fillText('loss (log scale)', pad + 8, 20);
  ctx.fillText(`step (${steps})`, width - 70, height - 12);
  if (losses.length < 2) return;
  const logs = losses.map((l) => Math.log(l));
  const hi = Math.max(...logs);
  const lo = Math.min(...logs, hi - 1);
  const x = (i) => pad + (i / (steps - 1)) * (width - pad - 10);
  const y = (v) => 10 + ((hi - v) / (hi - lo)) * (height - pad - 10);
  ctx.strokeStyle = '#d04a02';
  ctx.lineWidth = 2;
  ctx.beginPath();
  logs.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
  ctx.stroke();
  ctx.fillStyle = '#555';
  ctx.fillText(losses[0].toFixed(2), 4, y(logs[0]) + 4);
  ctx.fillText(losses.at(-1).toFixed(3), 4, y(logs.at(-1)) + 4);
}

try {
  state.backend = await mx.init();
  const trainer = createTrainer();
  const started = performance.now();
  for (let step = 1; step <= steps; step++) {
    state.losses.push(trainer.step());
    if (step % 10 === 0 || step === steps) {
      draw(state.losses);
      status.textContent = `backend ${state.backend}, step ${step}/${steps}, loss ${state.losses.at(-1).toFixed(4)}`;
      // Let the page paint between batches of steps.
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  state.accuracy = trainer.accuracy();
  trainer.dispose();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  status.textContent = `backend ${state.backend}: loss ${state.losses[0].toFixed(3)} -> ${state.losses.at(-1).toFixed(3)} in ${seconds} s, ` +
    `training accuracy ${(state.accuracy * 100).toFixed(1)}%` + (crossOriginIsolated ? ' (cross-origin isolated)' : '');
} catch (e) {
  state.error = e instanceof Error ? e.message : String(e);
  status.textContent = `error: ${state.error}`;
}
state.done = true;

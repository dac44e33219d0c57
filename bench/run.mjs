// npm run bench: runs mlxjs and each peer in its own child process on the same inputs,
// cross-checks every result against mlxjs and prints a table of medians; with --write it also
// writes docs/benchmarks.md and docs/benchmarks.svg (so a newcomer's run leaves the checkout clean).
//   node bench/run.mjs [--only=matmul1024,add] [--systems=mlxjs,tfjs] [--rounds=2] [--no-liftoff] [--write]
// Children run with V8's default flags, as a user's script does: wasm starts in the baseline
// compiler and optimised code is swapped in from a background thread (each case is warmed up
// first, see child.mjs). --no-liftoff (every system alike, and said so in the output) compiles
// wasm with the optimising compiler up front instead: steady-state timings that do not depend
// on the moment of tier-up, which on a busy machine varies a lot.
// With several rounds the systems run in alternating order and each case's median is taken
// over the timed runs of all rounds, so that a change of machine load between children
// does not favour one system.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { CASES, OVERHEAD_OPS } from './cases.mjs';
import { barChart } from './svg.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = arg('only');
// --clock=cpu: each child times its runs with its own CPU time (see child.mjs), for runs on a
// machine busy with other work.
const clock = arg('clock') === 'cpu' ? 'cpu' : 'wall';
const SYSTEMS = [
  { id: 'mlxjs', label: 'mlxjs' },
  { id: 'mlxjs2', label: 'mlxjs (2 threads)' },
  { id: 'tfjs', label: 'tfjs-backend-wasm' },
  { id: 'ort', label: 'onnxruntime-web' },
  { id: 'ort2', label: 'onnxruntime-web (2 threads)' },
  { id: 'jax', label: 'jax-js' },
  { id: 'mlxjs-native', label: 'mlxjs native' },
  { id: 'numpy', label: 'numpy' },
].filter((s) => !arg('systems') || arg('systems').split(',').includes(s.id));
const noLiftoff = process.argv.includes('--no-liftoff');
const cases = CASES.filter((c) => !only || only.split(',').includes(c.id));

if (!existsSync(here('../packages/mlxjs/dist/index.js')) || !existsSync(here('../packages/backend-wasm/wasm/mlxjs-core.wasm'))) {
  console.error('[bench] mlxjs is not built: run `npm run build` first.');
  process.exit(1);
}

function runChild(system) {
  const flags = noLiftoff ? ['--no-liftoff'] : [];
  const r = spawnSync(process.execPath, [...flags, here('./child.mjs'), system.id, ...(only ? [only] : [])], {
    env: { ...process.env, ...(clock === 'cpu' ? { BENCH_CLOCK: 'cpu' } : {}) },
    encoding: 'utf8',
    timeout: 170_000,
    maxBuffer: 64 << 20,
  });
  const line = (r.stdout || '').split('\n').find((l) => l.startsWith('@@RESULT '));
  if (line) return JSON.parse(line.slice('@@RESULT '.length));
  const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}`;
  return { name: system.id, error: `crashed (${why})`, cases: {} };
}

// The native backend's OpenBLAS and numpy's get the same thread count (2 unless set).
process.env.OPENBLAS_NUM_THREADS ??= '2';
const rounds = Math.max(1, Number(arg('rounds') ?? 2));
const loadBefore = os.loadavg()[0];
const started = Date.now();
const results = {};
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse();
  for (const s of order) {
    process.stderr.write(`[bench] round ${round + 1}/${rounds}: ${s.label}... `);
    const t0 = Date.now();
    const r = runChild(s);
    process.stderr.write(`${r.error ?? 'done'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    results[s.id] = merge(results[s.id], r);
  }
}
const loadAfter = os.loadavg()[0];

// Pools the timed runs of a case over rounds; values and errors come from the first round
// that has them.
function merge(prev, next) {
  if (!prev || prev.error) return next.error && prev ? prev : next;
  if (next.error) return prev;
  for (const [id, c] of Object.entries(next.cases)) {
    const p = prev.cases[id];
    if (!p || p.error || p.unsupported) {
      prev.cases[id] = c;
      continue;
    }
    if (!c.times) continue;
    const times = [...p.times, ...c.times].sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    Object.assign(p, {
      times, median, reps: times.length, min: times[0], max: times[times.length - 1],
      value: id === 'overhead' ? (median * 1000) / OVERHEAD_OPS : median,
    });
  }
  return prev;
}

// Cross-check each peer's sampled values against mlxjs's.
function check(spec, ref, got) {
  if (!ref?.values || !got?.values) return { ok: null };
  if (ref.values.length !== got.values.length) return { ok: false, err: Infinity };
  let worst = 0, ok = true;
  ref.values.forEach((m, i) => {
    const d = Math.abs(got.values[i] - m);
    worst = Math.max(worst, d);
    if (!(d <= spec.atol + spec.rtol * Math.abs(m))) ok = false;
  });
  return { ok, err: worst };
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const mlx = results.mlxjs;
// Ratios: 1-thread peers against mlxjs on 1 thread; tfjs (1 thread in Node) and
// onnxruntime-web on 2 threads against mlxjs on 2 threads.
const peers = SYSTEMS.filter((s) => !['mlxjs', 'mlxjs2', 'ort2'].includes(s.id));
const mtPeers = SYSTEMS.some((s) => s.id === 'mlxjs2') ? SYSTEMS.filter((s) => ['tfjs', 'ort2'].includes(s.id)) : [];
const rows = [];
const failures = [];
const unsupportedNotes = new Set();
for (const spec of cases) {
  const cells = {};
  for (const s of SYSTEMS) {
    const r = results[s.id];
    const c = r.cases?.[spec.id];
    if (r.error) cells[s.id] = { text: 'failed to load', value: null };
    else if (!c || c.unsupported) {
      cells[s.id] = { text: '—', value: null };
      if (c?.reason) unsupportedNotes.add(`${s.label}: ${c.reason}`);
    }
    else if (c.error) cells[s.id] = { text: `error: ${c.error}`, value: null };
    else {
      const chk = s.id === 'mlxjs' ? { ok: true } : check(spec, mlx?.cases?.[spec.id], c);
      let text = `${fmt(c.value)}`;
      if (spec.flops) text += ` (${fmt(spec.flops / (c.median * 1e6))} GFLOP/s)`;
      if (c.reps <= rounds) text += ' ¹';
      if (chk.ok === false) {
        text += ' ✗';
        failures.push(`${s.label} ${spec.id}: differs from mlxjs by up to ${chk.err.toExponential(2)}`);
      }
      cells[s.id] = { text, value: c.value, ok: chk.ok };
    }
  }
  const ratio = (base, p) => {
    const m = cells[base]?.value, v = cells[p.id].value;
    return m && v ? `${(v / m).toFixed(2)}×` : '—';
  };
  const ratios = [...peers.map((p) => ratio('mlxjs', p)), ...mtPeers.map((p) => ratio('mlxjs2', p))];
  rows.push({ spec, cells, ratios });
}

// Plain-text table for the terminal.
const header = ['case', 'unit', ...SYSTEMS.map((s) => s.label), ...peers.map((p) => `vs ${p.label}`),
  ...mtPeers.map((p) => `2 threads vs ${p.label}`)];
const body = rows.map((r) => [r.spec.label, r.spec.unit, ...SYSTEMS.map((s) => r.cells[s.id].text), ...r.ratios]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const b of body) console.log(line(b));
console.log('\n"vs X" = X\'s median time / mlxjs\'s (above 1: mlxjs is faster); "2 threads vs X": against mlxjs on 2 threads. ¹ one timed run (slow case).');
for (const n of unsupportedNotes) console.log(`— ${n}`);
for (const f of failures) console.log(`CHECK FAILED: ${f}`);
// The native backend's target (#7): matmul 1024 at >= 0.9x numpy's speed, same BLAS threads.
const nativeVsNumpy = (() => {
  const n = results['mlxjs-native']?.cases?.matmul1024, p = results.numpy?.cases?.matmul1024;
  return n?.median && p?.median ? `native matmul 1024: ${n.median.toFixed(2)} ms, numpy ${p.median.toFixed(2)} ms: native runs at ${(p.median / n.median).toFixed(2)}× numpy's speed (target ≥ 0.9×; OPENBLAS_NUM_THREADS=${process.env.OPENBLAS_NUM_THREADS})` : null;
})();
if (nativeVsNumpy) console.log(`\n${nativeVsNumpy}`);
// Issue #22's targets for the quantized matmul, per mlxjs backend: 4-bit decode >= 4x faster
// than the float32 matmul of the same shape and >= onnxruntime-web's MatMulNBits on the same
// thread count; the 512-row prompt at least as fast as float32. With the fraction of the
// memory bandwidth (the copy probe of the same backend, read + write bytes over its time)
// that each reaches (the bytes it must read at least over its time).
const quantLines = (() => {
  const lines = [];
  const byId = Object.fromEntries(CASES.map((c) => [c.id, c]));
  const med = (sys, id) => results[sys]?.cases?.[id]?.median;
  const gbs = (id, ms) => byId[id].bytes / (ms * 1e6);
  for (const [sys, label, ort] of [['mlxjs', 'mlxjs wasm 1 thread', 'ort'], ['mlxjs2', 'mlxjs wasm 2 threads', 'ort2'], ['mlxjs-native', 'mlxjs native', null]]) {
    if (!results[sys] || !byId.qmm4Decode) continue;
    const parts = [];
    for (const [name, target] of [['Decode', 4], ['Prompt', 1]]) {
      const q = med(sys, `qmm4${name}`), f = med(sys, `f32mm${name}`), o = ort && med(ort, `qmm4${name}`);
      if (!q) continue;
      let t = `4-bit ${name.toLowerCase()} ${fmt(q)} ms`;
      if (f) t += ` vs fp32 ${fmt(f)} ms (${(f / q).toFixed(2)}× faster; target ≥ ${target}×)`;
      if (o) t += `, onnxruntime-web MatMulNBits ${fmt(o)} ms (${(o / q).toFixed(2)}×)`;
      parts.push(t);
    }
    const copy = med(sys, 'copy');
    if (copy) {
      const bw = gbs('copy', copy);
      const frac = (id) => (med(sys, id) ? `${id} ${fmt(gbs(id, med(sys, id)))} GB/s (${Math.round((100 * gbs(id, med(sys, id))) / bw)}%)` : null);
      parts.push(`bandwidth: copy ${fmt(bw)} GB/s; ${['qmm4Decode', 'f32mmDecode'].map(frac).filter(Boolean).join(', ')}`);
    }
    if (parts.length) lines.push(`${label}: ${parts.join('; ')}`);
  }
  return lines;
})();
if (quantLines.length) console.log(`\nquantized matmul (issue #22):\n${quantLines.join('\n')}`);
const versions = SYSTEMS.map((s) => `${s.label} ${results[s.id].version ?? '?'} (${results[s.id].mode ?? results[s.id].error})`);
console.log(`\n${versions.join('; ')}\n${clock === 'cpu' ? 'CPU-time clock; ' : ''}${rounds} round(s); load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; ${((Date.now() - started) / 1000).toFixed(0)} s`);

console.log(noLiftoff ? 'V8 flags: --no-liftoff (steady state; not the default).' : 'V8 flags: the defaults.');
if (process.argv.includes('--write')) {
  const md = [];
  const cpu = os.cpus();
  md.push('# Benchmarks', '');
  md.push('Generated by `npm run bench` (bench/run.mjs); do not edit by hand.', '');
  md.push(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.arch()}. ` +
    `Load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end of the run` +
    (Math.max(loadBefore, loadAfter) > cpu.length ? ' — **the machine was busy with other work, so absolute times are inflated and noisy**; ratios from one run are more meaningful than the times.' : '.'), '');
  md.push(`Systems: ${versions.join('; ')}.`, '');
  md.push(noLiftoff
    ? 'Every child ran with V8\'s `--no-liftoff` (not the default): wasm is compiled by the optimising compiler before it runs, so these are steady-state timings, free of the moment at which V8 swaps in optimised code. `npm run bench -- --write` measures with V8\'s defaults.'
    : 'Every child ran with V8\'s default flags, as a user\'s script does: wasm starts in the baseline compiler and V8 swaps in optimised code later; each case is warmed up before it is timed. `npm run bench -- --no-liftoff --write` measures steady state instead.', '');
  if (clock === 'cpu') md.push('**Clock: CPU time** (`npm run bench -- --clock=cpu`): each run is timed with the child process\'s own CPU time (user + system) rather than the wall clock, because the machine was shared with other work; time spent waiting for a core is not counted (memory-bandwidth contention still is). Every system here runs one thread, so CPU time and run time agree on an idle machine.', '');
  md.push(`Each system runs in its own child process on the same seeded inputs, in ${rounds} round(s) with the order of the systems alternating. Every case is warmed up (so V8 has tiered the wasm up), then timed repeatedly; the table shows the median over the timed runs of all rounds (ms, or µs per op for the chained adds). "vs X" is X\'s median divided by mlxjs\'s: above 1 means mlxjs is faster. Each result is checked against mlxjs\'s (64 sampled values, or the loss and sampled parameters of the MLP step); ✗ marks a mismatch, — a case the system cannot run (onnxruntime-web has no gradients).`, '');
  if (nativeVsNumpy) md.push(`${nativeVsNumpy}.`, '');
  if (quantLines.length) md.push('Quantized matmul (issue #22):', '', ...quantLines.map((l) => `- ${l}`), '');
  md.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const b of body) md.push(`| ${b.join(' | ')} |`);
  md.push('');
  if (rows.some((r) => Object.values(r.cells).some((c) => c.text.includes('¹')))) md.push('¹ One timed run per round: this system needs more than a third of the case\'s time budget per run.', '');
  if (unsupportedNotes.size) md.push(`— (not run): ${[...unsupportedNotes].join('; ')}.`, '');
  if (failures.length) md.push('**Check failures:**', '', ...failures.map((f) => `- ${f}`), '');
  else md.push('Every measured result of every peer matched mlxjs\'s within the case\'s tolerance.', '');
  md.push('![benchmark chart](benchmarks.svg)', '');
  md.push('## What each case does', '');
  md.push('- **matmul n×n**: `a @ b`, both float32 [n, n], values in [-1, 1).');
  md.push('- **add / sum / softmax**: 4,194,304 float32 elements; softmax over the last axis of [4096, 1024].');
  md.push('- **add scalar / add row**: `x + 0.5` on 4,194,304 float32 elements; `x + r` with x [2048, 2048] and r [2048] broadcast along the rows. **sum over axis 0**: column sums of [2048, 2048] (a reduction along the strided axis).');
  md.push('- **conv2d**: input [1, 64, 64, 32] NHWC, 64 filters of 3×3×32, stride 1, zero padding 1 (\'same\'), no bias. Each system gets the same numbers in its own layouts (tfjs NHWC input and [KH, KW, C_in, C_out] filter; onnxruntime-web and jax-js NCHW input and [C_out, C_in, KH, KW] kernel, their NCHW output turned back to NHWC for the check, outside the timing; mlxjs NHWC input and [C_out, KH, KW, C_in] weight).');
  md.push('- **conv3d**: input [1, 16, 32, 32, 16] NDHWC, 32 filters of 3×3×3×16, stride 1, zero padding 1, no bias; mlxjs only (its direct convolution kernel, the same GEMM path as conv2d).');
  md.push('- **grad of sum(tanh(x@W))**: the gradient over W (x [64, 256], W [256, 256]) with `tf.grad`, `jax.grad` (not jitted), `mx.grad` (not compiled): the case of issue #5.');
  md.push('- **chained adds**: `y = y + x` 10,000 times on [16] and the result computed; reported per add. mlxjs builds the lazy graph and evaluates once; tfjs runs each add eagerly; onnxruntime-web calls `session.run` of a one-Add model per add; jax-js waits for each add (left as one chain, jax-js fuses the 10,000 adds into one growing expression and took ~3.5 ms per add).');
  md.push('- **MLP step**: loss = mean((tanh(x W1 + b1) W2 + b2 − t)²) with x [64, 256], W1 [256, 256], W2 [256, 16]; value and gradients of all four parameters, then an SGD update (lr 0.1). tfjs uses `tf.valueAndGrads` (tfjs-core\'s Node bundle has no gradients, so the bench loads tfjs-core\'s own gradient ES modules, as the full @tensorflow/tfjs package would), jax-js `valueAndGrad` (not jitted), mlxjs `valueAndGrad` (not compiled).');
  md.push('- **quantizedMatmul 4-bit**: x [1, 4096] (decode) or [512, 4096] (prompt) times the transpose of a 4096×4096 weight quantized to 4 bits in groups of 64 (MLX\'s affine layout: packed uint32 words, float32 scales and biases), next to **matmul fp32** of the same shape. The weights are seeded codes with integer zero points, so onnxruntime-web runs the very same weights as its com.microsoft `MatMulNBits` (bits 4, block size 64, packed zero points; its weights, like the fp32 MatMul\'s, are initializers). **copy 64 MiB** (`negative` of 16M float32) measures the memory bandwidth each mlxjs backend gets; the summary above divides the bytes each matmul must read by its time.');
  md.push('- **mlxjs native** is the Node addon (packages/backend-native): the same core compiled natively, matmul through OpenBLAS when the build found it; **numpy** times its own runs in a python3 process (skipped with the reason when python3 or numpy is missing). Both use `OPENBLAS_NUM_THREADS` threads for BLAS (2 unless set).');
  md.push('- mlxjs runs its wasm backend on one thread and, as "mlxjs (2 threads)", on two (`mx.setNumThreads(2)`: worker_threads on a shared memory); onnxruntime-web its wasm execution provider with `numThreads = 1` and 2, tfjs its wasm backend (XNNPACK; no threads in Node), jax-js its wasm device. "2 threads vs X" columns compare mlxjs on 2 threads with tfjs (1 thread) and onnxruntime-web on 2 threads.', '');
  writeFileSync(here('../docs/benchmarks.md'), md.join('\n'));
  const chartRows = rows.map((r) => ({
    label: `${r.spec.label} (${r.spec.unit})`,
    bars: SYSTEMS.map((s) => ({ system: s.label, value: r.cells[s.id].value, text: r.cells[s.id].text.replace(/ \(.*\)/, '') })),
  }));
  writeFileSync(here('../docs/benchmarks.svg'), barChart(chartRows, SYSTEMS.map((s) => s.label), `mlxjs vs peers (median times, ${rounds} round(s))`));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.svg');
}

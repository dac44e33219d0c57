// Runs every case for one system (argv[2]: a module in ./peers) in this process and prints
// one line "@@RESULT <json>" with the timings and the sampled values of each result.
import { performance } from 'node:perf_hooks';
import { CASES, OVERHEAD_OPS, inputs, sample } from './cases.mjs';

const name = process.argv[2];
const only = process.argv[3] ? process.argv[3].split(',') : null;
const emit = (obj) => process.stdout.write(`\n@@RESULT ${JSON.stringify(obj)}\n`);
const message = (e) => String(e && e.message ? e.message : e).split('\n')[0].slice(0, 200);

// BENCH_CLOCK=cpu (npm run bench -- --clock=cpu) times with this process's CPU time (user +
// system, all its threads) instead of the wall clock: on a machine shared with other work the
// wall clock counts the time this process waits for a core, which the CPU time does not. Only
// meaningful for single-threaded systems (threads add up their CPU time).
const CPU_CLOCK = process.env.BENCH_CLOCK === 'cpu';
const now = CPU_CLOCK
  ? () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    }
  : () => performance.now();

// Warm-up per case (pools, caches, and JIT tier-up when run without --no-liftoff).
const WARMUP_MS = 500;

async function timeCase(c, spec) {
  // Warm-up: lets the JIT tier up and pools fill.
  // A system that takes more than a third of the budget per run gets one warm-up and one
  // timed run, so that a slow peer cannot stretch the whole benchmark.
  const warmStart = performance.now();
  c.free(await c.run());
  const first = performance.now() - warmStart;
  const slow = first > (spec.budget * 1000) / 3;
  for (let i = 1; !slow && (i < 2 || (performance.now() - warmStart < WARMUP_MS && i < 50)); i++) c.free(await c.run());
  const minReps = slow ? 1 : 3;
  const times = [];
  const start = performance.now();
  while (times.length < spec.reps && (times.length < minReps || performance.now() - start < spec.budget * 1000)) {
    const t0 = now();
    const r = await c.run();
    times.push(now() - t0);
    c.free(r);
  }
  const r = await c.run();
  const values = sample(await c.read(r));
  c.free(r);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const value = spec.id === 'overhead' ? (median * 1000) / OVERHEAD_OPS : median;
  return { value, median, reps: times.length, min: times[0], max: times[times.length - 1], times, values };
}

function measuredCase({ times, values }, spec) {
  const median = times[Math.floor(times.length / 2)];
  const value = spec.id === 'overhead' ? (median * 1000) / OVERHEAD_OPS : median;
  return { value, median, reps: times.length, min: times[0], max: times[times.length - 1], times, values: sample(values) };
}

const result = { name, cases: {} };
try {
  const peer = await import(`./peers/${name}.mjs`);
  result.version = peer.version();
  const impl = await peer.load();
  const inp = inputs();
  for (const spec of CASES) {
    if (only && !only.includes(spec.id)) continue;
    const make = impl.cases[spec.id];
    if (!make || typeof make === 'string') {
      // A peer names why it cannot run a case with a string in place of the case.
      result.cases[spec.id] = { unsupported: true, ...(make ? { reason: make } : {}) };
      continue;
    }
    let c;
    try {
      c = await make(inp);
      // A peer in another process (numpy) times its own runs and hands over the record.
      result.cases[spec.id] = c.measured ? measuredCase(c.measured, spec) : await timeCase(c, spec);
    } catch (e) {
      result.cases[spec.id] = { error: message(e) };
    } finally {
      c?.dispose?.();
    }
  }
  result.mode = impl.mode;
  await impl.close?.();
} catch (e) {
  result.error = `failed to load: ${message(e)}`;
}
emit(result);
process.exit(0);

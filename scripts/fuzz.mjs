// `npm run fuzz`: random and malformed calls to every exported function of mx (and
// mx.linalg, mx.random, mx.fast) on every available backend. Each batch runs in its own
// process (test/fuzz/worker.ts through vite-node), so a crash or a hang is counted against
// the call that caused it and the run goes on with the next call. See docs/TESTING.md.
//
//   npm run fuzz -- [--seed 1] [--calls 20000] [--backends wasm,native] [--batch 2000]
//                   [--timeout 20000] [--only 123,456] [--verbose]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Keep in step with BACKEND_SPECIFIC in test/fuzz/targets.ts (this script does not load TypeScript). */
const BACKEND_SPECIFIC = new Set(['backendName', 'currentBackend', 'threadingInfo', 'getNumThreads', 'availableBackends', 'kernelCount']);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function options(argv) {
  const o = { seed: 1, calls: 20000, backends: null, batch: 2000, timeout: 20000, only: null, verbose: false };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const next = () => argv[++k];
    if (a === '--seed') o.seed = Number(next());
    else if (a === '--calls') o.calls = Number(next());
    else if (a === '--backends') o.backends = next().split(',');
    else if (a === '--batch') o.batch = Number(next());
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--only') o.only = next().split(',').map(Number);
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`[fuzz] Unknown option ${a}`);
  }
  return o;
}

/** Backends this machine can run: wasm always, native when the addon is built. */
function availableBackends() {
  const list = ['wasm'];
  if (fs.existsSync(path.join(root, 'packages/backend-native/build/Release/mlxjs_native.node'))) list.push('native');
  return list;
}

/**
 * Runs calls `indices` (ascending) of `seed` on `backend` in one child process. Resolves with
 * the outcomes and, when the child died or hung, the index of the call it was running.
 */
function runBatch(backend, seed, indices, timeout) {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      FUZZ_SEED: String(seed),
      FUZZ_BACKEND: backend,
      FUZZ_ONLY: indices.join(','),
    };
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=2048', path.join(root, 'node_modules/vite-node/vite-node.mjs'), '--config', 'vitest.config.ts', 'test/fuzz/worker.ts'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const outcomes = [];
    let current = null;
    let ready = false;
    let stderr = '';
    let buffer = '';
    let timer = null;
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ outcomes, failed: current, why: 'hang', detail: `no answer within ${ms} ms` });
      }, ms);
    };
    arm(120000); // start-up (vite-node transform + backend init)
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === '@@ready') ready = true;
        else if (line.startsWith('@@start ')) {
          current = Number(line.slice(8));
          arm(timeout);
        } else if (line.startsWith('@@done ')) {
          outcomes.push(JSON.parse(line.slice(7)));
          current = null;
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && current !== null) return; // reported as a hang
      if (code === 0) resolve({ outcomes, failed: null });
      else {
        const died = current ?? indices[outcomes.length] ?? null;
        const detail = `exit ${code ?? signal}${ready ? '' : ' before the first call'}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
        resolve({ outcomes, failed: ready ? died : null, why: 'crash', detail, startup: !ready });
      }
    });
  });
}

/** Runs every call on one backend, restarting after the call that crashed or hung. */
async function fuzzBackend(backend, o) {
  const all = o.only ?? Array.from({ length: o.calls }, (_, i) => i);
  const outcomes = [];
  const failures = []; // { i, why, detail }
  let at = 0;
  while (at < all.length) {
    const indices = all.slice(at, at + o.batch);
    const r = await runBatch(backend, o.seed, indices, o.timeout);
    outcomes.push(...r.outcomes);
    if (r.startup) throw new Error(`[fuzz] The ${backend} worker failed to start: ${r.detail}`);
    at += r.outcomes.length;
    if (r.failed !== null) {
      failures.push({ i: r.failed, why: r.why, detail: r.detail });
      at = all.indexOf(r.failed) + 1;
    }
    process.stderr.write(`[fuzz] ${backend}: ${at}/${all.length} calls\n`);
  }
  return { outcomes, failures };
}

/** Same result or the same error? Values compared with a tolerance (kernels differ in rounding). */
function sameOutcome(a, b) {
  const okA = a.kind === 'ok';
  const okB = b.kind === 'ok';
  if (okA !== okB) return false;
  // Allocation-limit messages also say how much was in use, which differs by backend.
  const norm = (m) => (m ?? '').replace(/\s*\(\d+ bytes in use\)/, '');
  if (!okA) return norm(a.message) === norm(b.message);
  return sameDigest(a.digest, b.digest);
}

function sameDigest(x, y) {
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (!Array.isArray(x)) return JSON.stringify(x) === JSON.stringify(y);
  if (x.length !== y.length) return false;
  return x.every((a, k) => {
    const b = y[k];
    if (JSON.stringify(a.shape) !== JSON.stringify(b.shape) || a.dtype !== b.dtype || a.values.length !== b.values.length) return false;
    return a.values.every((v, j) => {
      const w = b.values[j];
      if (Number.isNaN(v) || Number.isNaN(w)) return Number.isNaN(v) && Number.isNaN(w);
      if (!Number.isFinite(v) || !Number.isFinite(w)) return v === w;
      return Math.abs(v - w) <= 1e-3 * Math.max(1, Math.abs(v), Math.abs(w));
    });
  });
}

const o = options(process.argv.slice(2));
const backends = o.backends ?? availableBackends();
const started = Date.now();
const results = {};
for (const b of backends) results[b] = await fuzzBackend(b, o);

const repro = (b, i) => `npm run fuzz -- --seed ${o.seed} --backends ${b} --only ${i} --verbose`;
let bad = 0;
for (const b of backends) {
  const { outcomes, failures } = results[b];
  const kinds = {};
  for (const x of outcomes) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
  const crashes = failures.filter((f) => f.why === 'crash');
  const hangs = failures.filter((f) => f.why === 'hang');
  console.log(`\n== ${b}: ${outcomes.length + failures.length} calls (seed ${o.seed})`);
  console.log(`   returned ${kinds.ok ?? 0}, [op] errors ${kinds['op-error'] ?? 0}, errors without an op name ${kinds['raw-error'] ?? 0}, non-Error throws ${kinds['non-error'] ?? 0}, leaks ${kinds.leak ?? 0}, changed arrays ${kinds.corrupt ?? 0}, crashes ${crashes.length}, hangs ${hangs.length}`);
  const problems = outcomes.filter((x) => x.kind !== 'ok' && x.kind !== 'op-error');
  // One line per distinct problem (function + message), with the first call that shows it.
  const seen = new Map();
  for (const x of problems) {
    const key = `${x.kind} ${x.name}: ${(x.message ?? '').replace(/\d+/g, 'N').slice(0, 100)}`;
    if (!seen.has(key)) seen.set(key, { x, n: 0 });
    seen.get(key).n++;
  }
  for (const [key, { x, n }] of seen) console.log(`   ${n}x ${key}\n      ${x.call.slice(0, 200)}\n      ${repro(b, x.i)}`);
  for (const f of failures) console.log(`   ${f.why} at call ${f.i}: ${f.detail}\n      ${repro(b, f.i)}`);
  if (o.verbose) for (const x of outcomes) console.log(`   #${x.i} ${x.kind} ${x.ms.toFixed(1)} ms ${x.call}\n      ${x.message ?? JSON.stringify(x.digest)}`);
  bad += problems.length + failures.length;
}

let mismatches = 0;
if (backends.length > 1) {
  const [a, ...others] = backends;
  const byIndex = new Map(results[a].outcomes.map((x) => [x.i, x]));
  for (const b of others) {
    const shown = [];
    for (const y of results[b].outcomes) {
      const x = byIndex.get(y.i);
      // Results that name the backend are meant to differ (test/fuzz/targets.ts BACKEND_SPECIFIC).
      if (x === undefined || BACKEND_SPECIFIC.has(y.name) || sameOutcome(x, y)) continue;
      mismatches++;
      if (shown.length < 30) shown.push(`   #${y.i} ${y.call.slice(0, 160)}\n      ${a}: ${x.kind} ${x.message ?? JSON.stringify(x.digest).slice(0, 160)}\n      ${b}: ${y.kind} ${y.message ?? JSON.stringify(y.digest).slice(0, 160)}`);
    }
    console.log(`\n== ${a} vs ${b}: ${mismatches} calls with a different result or error`);
    for (const s of shown) console.log(s);
  }
}
console.log(`\n[fuzz] ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(bad + mismatches > 0 ? 1 : 0);

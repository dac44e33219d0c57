// The runner behind `npm run fuzz:diff` and `npm run fuzz:grad`: runs programs in a child
// process (test/fuzz/programs/worker.ts through vite-node), so a crash or a hang is counted
// against the program that caused it and the run goes on from the next one; prints each
// failing program with its seed, the command that runs it alone and its code.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function options(argv, programs) {
  const o = { seed: 1, programs, minutes: null, backends: null, only: null, timeout: 30000 };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const next = () => argv[++k];
    if (a === '--seed') o.seed = Number(next());
    else if (a === '--programs') o.programs = Number(next());
    else if (a === '--minutes') o.minutes = Number(next());
    else if (a === '--backends') o.backends = next().split(',');
    else if (a === '--only') o.only = next().split(',').map(Number);
    else if (a === '--timeout') o.timeout = Number(next());
    else throw new Error(`[fuzz] Unknown option ${a}`);
  }
  // --minutes alone: as many programs as fit.
  if (o.minutes !== null && !argv.includes('--programs')) o.programs = 1e9;
  return o;
}

/** Backends this machine can run: wasm always, native when the addon is built. */
function availableBackends() {
  const list = ['wasm'];
  if (fs.existsSync(path.join(root, 'packages/backend-native/build/Release/mlxjs_native.node'))) list.push('native');
  return list;
}

/** Runs `indices` in one child; resolves with the outcomes and the program that crashed or hung, if one did. */
function runChild(kind, o, indices, deadline) {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      FUZZ_KIND: kind,
      FUZZ_SEED: String(o.seed),
      FUZZ_ONLY: indices.join(','),
      FUZZ_BACKENDS: o.backends.join(','),
      FUZZ_DEADLINE: String(deadline),
    };
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=2048', path.join(root, 'node_modules/vite-node/vite-node.mjs'), '--config', 'vitest.config.ts', 'test/fuzz/programs/worker.ts'],
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
    arm(120000); // start-up
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === '@@ready') ready = true;
        else if (line.startsWith('@@start ')) {
          const [i, backend] = line.slice(8).split(' ');
          current = { i: Number(i), backend };
          arm(o.timeout);
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
      if (code === 0) return resolve({ outcomes, failed: null });
      const detail = `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      resolve({ outcomes, failed: current, why: 'crash', detail, startup: !ready });
    });
  });
}

/** Runs the fuzz of `kind`; returns the exit status (1 when any program failed). */
export async function runProgramFuzz(kind, argv, defaultPrograms) {
  const o = options(argv, defaultPrograms);
  o.backends ??= availableBackends();
  const started = Date.now();
  const deadline = o.minutes === null ? Infinity : started + o.minutes * 60000;
  const all = o.only ?? null;
  const outcomes = [];
  const failures = []; // crashes and hangs
  let next = 0; // position in `all`, or the next program index
  const count = all ? all.length : o.programs;
  while (next < count && Date.now() < deadline) {
    // Children take batches of 1,000 programs (bounded memory growth per process).
    const indices = Array.from({ length: Math.min(1000, count - next) }, (_, k) => (all ? all[next + k] : next + k));
    const r = await runChild(kind, o, indices, deadline);
    if (r.startup) throw new Error(`[fuzz] The worker failed to start: ${r.detail}`);
    outcomes.push(...r.outcomes);
    const done = new Set(r.outcomes.map((x) => x.i));
    if (r.failed) {
      failures.push({ ...r.failed, why: r.why, detail: r.detail });
      next += indices.indexOf(r.failed.i) + 1;
    } else next += Math.max(1, indices.filter((i) => done.has(i)).length);
    if (r.outcomes.length === 0 && !r.failed) break; // deadline passed inside the child
    process.stderr.write(`[fuzz:${kind}] ${new Set(outcomes.map((x) => x.i)).size} programs\n`);
  }

  const repro = (i, b) => `npm run fuzz:${kind} -- --seed ${o.seed} --backends ${b} --only ${i}`;
  const programs = new Set(outcomes.map((x) => x.i)).size;
  const ops = outcomes.reduce((s, x) => s + x.ops, 0);
  const bad = outcomes.filter((x) => x.problems.length > 0);
  console.log(`\n== fuzz:${kind} seed ${o.seed}: ${programs} programs (${ops} ops run over ${o.backends.join(', ')}), ${bad.length} failing runs, ${failures.length} crashes or hangs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const b of o.backends) {
    const mine = outcomes.filter((x) => x.backend === b);
    console.log(`   ${b}: ${mine.length} programs, ${mine.filter((x) => x.problems.length > 0).length} failing`);
  }
  for (const x of bad.slice(0, 40)) {
    console.log(`\n-- program ${x.i} on ${x.backend}: ${x.problems.slice(0, 4).join('\n   ')}\n   ${repro(x.i, x.backend)}\n${x.code ?? ''}`);
  }
  for (const f of failures) console.log(`\n-- ${f.why} at program ${f.i} on ${f.backend}: ${f.detail}\n   ${repro(f.i, f.backend)}`);
  return bad.length + failures.length > 0 ? 1 : 0;
}

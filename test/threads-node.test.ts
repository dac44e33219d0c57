// Node processes that use threads: they exit by themselves, and MLXJS_WASM_THREADS=0 picks the
// single-thread module. (Node-only: spawns processes; vitest.browser.config.ts lists it.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(`${root}/packages/mlxjs/dist/index.js`);

/** Runs a module script with Node in the repository root: [exit code, stdout, stderr]. */
function node(script: string, env: Record<string, string> = {}): [number | null, string, string] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 45_000,
    env: { ...process.env, ...env },
  });
  return [r.status, r.stdout, r.stderr];
}

it('a Node script that computes on 2 wasm threads exits by itself', () => {
  expect(built, 'run `npm run build` first').toBe(true);
  const [status, out, err] = node(`
    import * as mx from './packages/mlxjs/dist/index.js';
    await mx.init({ backend: 'wasm' });
    await mx.setNumThreads(2);
    const a = mx.ones([300, 300]);
    const info = mx.threadingInfo();
    const y = mx.sum(mx.matmul(a, a));
    await mx.asyncEval(y); // on the async-eval thread, which must not keep Node alive either
    console.log(info.mode, info.threads, info.workers, info.asyncEval, y.item());
  `);
  expect(err).toBe('');
  expect(out.trim()).toBe('wasm-threads 2 1 thread 27000000');
  expect(status).toBe(0);
});

it('MLXJS_WASM_THREADS=0 selects the single-thread module, which says why', () => {
  const [status, out] = node(`
    import * as mx from './packages/mlxjs/dist/index.js';
    await mx.init({ backend: 'wasm' });
    await mx.setNumThreads(2);
    const info = mx.threadingInfo();
    console.log(JSON.stringify([info.mode, info.threads, mx.getNumThreads(), info.reason, info.asyncEval, info.asyncEvalReason]));
  `, { MLXJS_WASM_THREADS: '0' });
  expect(JSON.parse(out)).toEqual([
    'single', 1, 1, 'turned off by MLXJS_WASM_THREADS=0', 'steps', 'the single-thread module has no other thread',
  ]);
  expect(status).toBe(0);
});

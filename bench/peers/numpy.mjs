// NumPy (python3 -c ... with numpy; its matmul is OpenBLAS in numpy's wheels), as the
// reference for the native backend's matmul. Optional: without python3 or numpy the peer
// fails to load with the reason, and the bench goes on. Python times its own runs (the
// inputs go over as raw float32 files; there is no per-run IPC in the timings).
// OPENBLAS_NUM_THREADS (set by bench/run.mjs) fixes its BLAS threads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from '../cases.mjs';

const script = fileURLToPath(new URL('./numpy_peer.py', import.meta.url));
let probed = null;
function probe() {
  probed ??= spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  return probed;
}

export const version = () => (probe().status === 0 ? probe().stdout.trim() : '?');

export async function load() {
  const p = probe();
  if (p.error) throw new Error(`skipped: python3 is not available (${p.error.message})`);
  if (p.status !== 0) throw new Error('skipped: numpy is not installed for python3');
  let measured = null;
  let blas = '';
  // Runs every case at the first request (one python process), then serves the records.
  const measureAll = (inp) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlxjs-bench-numpy-'));
    try {
      const put = (name, arr) => writeFileSync(path.join(dir, `${name}.f32`), new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
      for (const n of [256, 512, 1024]) {
        put(`mm${n}a`, inp.mm[n].a);
        put(`mm${n}b`, inp.mm[n].b);
      }
      put('x4', inp.x4);
      put('y4', inp.y4);
      put('soft', inp.soft.data);
      const only = process.argv[3] ? process.argv[3].split(',') : null;
      const spec = CASES.filter((c) => !only || only.includes(c.id)).map(({ id, reps, budget }) => ({ id, reps, budget }));
      writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
      const r = spawnSync('python3', [script, dir], { encoding: 'utf8', maxBuffer: 16 << 20 });
      const line = (r.stdout || '').split('\n').find((l) => l.startsWith('@@NUMPY '));
      if (!line) throw new Error(`python3 failed: ${(r.stderr || '').trim().split('\n').pop()}`);
      const out = JSON.parse(line.slice('@@NUMPY '.length));
      blas = out.blas;
      const results = {};
      for (const [id, times] of Object.entries(out.cases)) {
        // (A small file's Buffer is a view into Node's shared pool: copy exactly its bytes.)
        const buf = readFileSync(path.join(dir, `out_${id}.f32`));
        const values = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        results[id] = { times: [...times].sort((a, b) => a - b), values };
      }
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const cases = {};
  for (const id of ['matmul256', 'matmul512', 'matmul1024', 'add', 'sum', 'softmax']) {
    cases[id] = (inp) => {
      measured ??= measureAll(inp);
      const m = measured[id];
      if (!m) throw new Error('not measured');
      return { measured: m, dispose() {} };
    };
  }
  return {
    get mode() {
      return `numpy, BLAS ${blas || '?'}, OPENBLAS_NUM_THREADS ${process.env.OPENBLAS_NUM_THREADS ?? 'default'}`;
    },
    cases,
  };
}

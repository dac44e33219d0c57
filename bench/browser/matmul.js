// matmul n×n float32 in this page: mlxjs (wasm, 1 and 2 threads) and tfjs-backend-wasm (as
// 2 threads asked: its threaded SIMD build runs them when the page is cross-origin isolated).
// Same seeded inputs as bench/cases.mjs; the median of timed runs after warm-up; the
// results cross-checked. Writes JSON into #out (bench/browser.mjs reads it).
import * as mx from 'mlxjs';
import { uniform } from '../cases.mjs';

const sizes = [512, 1024];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function time(run, reps) {
  for (let i = 0; i < 5; i++) run();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    run();
    t.push(performance.now() - s);
  }
  return median(t);
}

async function main() {
  const out = { crossOriginIsolated: globalThis.crossOriginIsolated, results: {} };
  await mx.init({ backend: 'wasm' });
  const tf = globalThis.tf;
  tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  // tfjs picks half the hardware threads by default (1 here); give it 2 like mlxjs. It only
  // uses them in a cross-origin-isolated page (its threaded build).
  tf.wasm.setThreadsCount(2);
  await tf.setBackend('wasm');
  out.tfjsThreads = `${tf.wasm.getThreadsCount()} (threads supported: ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')})`;
  for (const n of sizes) {
    const a = uniform(n * n, 11 + n);
    const b = uniform(n * n, 13 + n);
    const reps = n === 1024 ? 9 : 21;
    const r = {};
    for (const threads of [1, 2]) {
      await mx.setNumThreads(threads);
      const info = mx.threadingInfo();
      const [x, y] = [mx.keep(mx.array(a, [n, n])), mx.keep(mx.array(b, [n, n]))];
      let last = null;
      r[`mlxjs${threads}`] = time(() => {
        if (last) mx.dispose(last);
        last = mx.matmul(x, y);
        mx.eval(last);
      }, reps);
      r[`mlxjs${threads}Mode`] = `${info.mode}, ${info.threads} thread(s), ${info.workers} worker(s)`;
      r.check = Array.from(last.toTypedArray().subarray(0, 8));
      mx.dispose([x, y, last]);
    }
    const [tx, ty] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];
    let tlast = null;
    r.tfjs = time(() => {
      if (tlast) tlast.dispose();
      tlast = tf.matMul(tx, ty);
      tlast.dataSync();
    }, reps);
    const tcheck = Array.from(tlast.dataSync().subarray(0, 8));
    r.agree = tcheck.every((v, i) => Math.abs(v - r.check[i]) <= 1e-3 * (1 + Math.abs(v)));
    tf.dispose([tx, ty, tlast]);
    out.results[n] = r;
  }
  document.getElementById('out').textContent = JSON.stringify(out);
}

main().catch((e) => {
  document.getElementById('out').textContent = JSON.stringify({ error: String(e && e.stack || e) });
});

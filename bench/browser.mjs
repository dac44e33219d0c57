// `npm run bench:browser`: matmul in headless Chromium (Debian's, through playwright-core),
// cross-origin isolated (COOP/COEP: wasm threads) and not: mlxjs on 1 and 2 threads and
// tfjs-backend-wasm (which picks its threaded build itself when the page is isolated).
// Prints medians in ms, GFLOP/s and the ratios. Needs `npm run build` first.
import { chromium as playwright } from 'playwright-core';
import { serve } from '../examples/browser/serve.mjs';
import { chromium } from '../scripts/toolchain.mjs';

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await playwright.launch({ executablePath: chromium(), args, headless: true });
const gflops = (n, ms) => ((2 * n ** 3) / (ms * 1e6)).toFixed(1);
try {
  for (const isolated of [true, false]) {
    const server = await serve({ isolated });
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/browser/index.html`);
    await page.waitForFunction(() => (document.getElementById('out')?.textContent ?? '') !== '', null, { timeout: 300000 });
    const out = JSON.parse((await page.textContent('#out')) ?? '{}');
    await page.close();
    await server.close();
    if (out.error) throw new Error(out.error);
    console.log(`\nChromium, ${out.crossOriginIsolated ? 'cross-origin isolated (COOP/COEP)' : 'not isolated'}; tfjs threads: ${out.tfjsThreads}`);
    for (const [n, r] of Object.entries(out.results)) {
      console.log(`matmul ${n}: mlxjs 1 thread ${r.mlxjs1.toFixed(2)} ms (${gflops(+n, r.mlxjs1)} GFLOP/s; ${r.mlxjs1Mode}), ` +
        `mlxjs 2 threads ${r.mlxjs2.toFixed(2)} ms (${gflops(+n, r.mlxjs2)} GFLOP/s; ${r.mlxjs2Mode}), tfjs ${r.tfjs.toFixed(2)} ms (${gflops(+n, r.tfjs)} GFLOP/s); ` +
        `tfjs/mlxjs: ${(r.tfjs / r.mlxjs1).toFixed(2)}× on 1 thread, ${(r.tfjs / r.mlxjs2).toFixed(2)}× on 2; results ${r.agree ? 'agree' : 'DIFFER'}`);
    }
  }
} finally {
  await browser.close();
}

// `npm run bench:browser`: matmul in headless Chromium (Debian's, through playwright-core),
// cross-origin isolated (COOP/COEP: wasm threads) and not: mlxjs on 1 and 2 threads and
// tfjs-backend-wasm (which picks its threaded build itself when the page is isolated).
// Prints medians in ms, GFLOP/s and the ratios, and writes docs/benchmarks-browser.md
// (only with `--write`; otherwise it prints only). Needs `npm run build` first.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium as playwright } from 'playwright-core';
import { serve } from '../examples/browser/serve.mjs';
import { chromium } from '../scripts/toolchain.mjs';

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await playwright.launch({ executablePath: chromium(), args, headless: true });
const gflops = (n, ms) => ((2 * n ** 3) / (ms * 1e6)).toFixed(1);
const loadBefore = loadavg()[0];
const md = ['# matmul in Chromium', '', `Written by \`npm run bench:browser\` on ${new Date().toISOString().slice(0, 10)} (headless Chromium through playwright-core; load average ${loadBefore.toFixed(1)} at the start). Median ms of timed runs after warm-up; ratio = tfjs-backend-wasm's time / mlxjs's (above 1: mlxjs is faster). tfjs is asked for 2 threads; the line says how many it ran.`, ''];
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
    const title = `Chromium, ${out.crossOriginIsolated ? 'cross-origin isolated (COOP/COEP)' : 'not isolated'}; tfjs threads: ${out.tfjsThreads}`;
    console.log(`\n${title}`);
    md.push(`## ${title}`, '', '| n | mlxjs 1 thread | mlxjs 2 threads | tfjs-backend-wasm | vs tfjs, 1 thread | vs tfjs, 2 threads |', '|---|---|---|---|---|---|');
    for (const [n, r] of Object.entries(out.results)) {
      md.push(`| ${n} | ${r.mlxjs1.toFixed(2)} ms (${gflops(+n, r.mlxjs1)} GFLOP/s) | ${r.mlxjs2.toFixed(2)} ms (${gflops(+n, r.mlxjs2)} GFLOP/s; ${r.mlxjs2Mode}) | ${r.tfjs.toFixed(2)} ms (${gflops(+n, r.tfjs)} GFLOP/s) | ${(r.tfjs / r.mlxjs1).toFixed(2)}× | ${(r.tfjs / r.mlxjs2).toFixed(2)}× |`);
    }
    md.push('');
    for (const [n, r] of Object.entries(out.results)) {
      console.log(`matmul ${n}: mlxjs 1 thread ${r.mlxjs1.toFixed(2)} ms (${gflops(+n, r.mlxjs1)} GFLOP/s; ${r.mlxjs1Mode}), ` +
        `mlxjs 2 threads ${r.mlxjs2.toFixed(2)} ms (${gflops(+n, r.mlxjs2)} GFLOP/s; ${r.mlxjs2Mode}), tfjs ${r.tfjs.toFixed(2)} ms (${gflops(+n, r.tfjs)} GFLOP/s); ` +
        `tfjs/mlxjs: ${(r.tfjs / r.mlxjs1).toFixed(2)}× on 1 thread, ${(r.tfjs / r.mlxjs2).toFixed(2)}× on 2; results ${r.agree ? 'agree' : 'DIFFER'}`);
    }
  }
} finally {
  await browser.close();
}
if (process.argv.includes('--write')) {
  writeFileSync(new URL('../docs/benchmarks-browser.md', import.meta.url), md.join('\n'));
  console.log('\nwrote docs/benchmarks-browser.md');
}

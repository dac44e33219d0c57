// The training-loop memory run (bench/training-memory-loop.mjs) in headless Chromium
// (Debian's, through playwright-core), cross-origin isolated, with gc exposed
// (--js-flags=--expose-gc) so the end-of-run collection is real. Needs `npm run build`.
//   node bench/training-memory-browser.mjs [steps=10000] [mlp,transformer]
import { chromium as playwright } from 'playwright-core';
import { serve } from '../examples/browser/serve.mjs';
import { chromium } from '../scripts/toolchain.mjs';

const steps = Number(process.argv[2] ?? 10000);
const models = process.argv[3] ?? 'mlp,transformer';
const browser = await playwright.launch({
  executablePath: chromium(),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
});
const server = await serve({ isolated: true });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(m.text()));
  await page.goto(`${server.url}/bench/browser/training-memory.html?steps=${steps}&models=${models}`);
  await page.waitForFunction(() => (document.getElementById('out')?.textContent ?? '') !== '', null, { timeout: 0 });
  const out = JSON.parse((await page.textContent('#out')) ?? '{}');
  if (out.error) throw new Error(out.error);
  console.log(`gc exposed: ${out.gc}; cross-origin isolated: ${out.crossOriginIsolated}`);
} finally {
  await server.close();
  await browser.close();
}

// `npm run test:browser`: the conformance suite in headless Chromium (vitest.browser.config.ts),
// twice: with COOP/COEP (cross-origin isolated) and without (the fallback). Installs Debian's
// Chromium first when it is missing. Prints the time of each run.
import path from 'node:path';
import { chromium, root, run } from './toolchain.mjs';

const executable = chromium();
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const extra = process.argv.slice(2); // e.g. one test file while developing
const times = [];
for (const isolated of ['1', '0']) {
  const label = isolated === '1' ? 'with COOP/COEP (cross-origin isolated)' : 'without COOP/COEP';
  console.log(`[test-browser] Chromium, ${label}`);
  const started = Date.now();
  run(process.execPath, [vitest, 'run', '-c', 'vitest.browser.config.ts', ...extra], {
    cwd: root,
    env: { ...process.env, MLXJS_ISOLATED: isolated, MLXJS_CHROMIUM: executable, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  times.push(`${label}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
console.log(`[test-browser] ${times.join('; ')}`);

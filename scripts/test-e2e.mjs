// `npm run test:e2e`: the end-to-end checks on the built packages (vitest.e2e.config.ts):
// Vite and Rollup app builds run in Chromium, Node on dist, npm pack into an empty folder,
// and the browser example. Installs Debian's Chromium first when it is missing.
import path from 'node:path';
import { chromium, root, run } from './toolchain.mjs';

const executable = chromium();
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const started = Date.now();
run(process.execPath, [vitest, 'run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, MLXJS_CHROMIUM: executable, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
});
console.log(`[test-e2e] ${((Date.now() - started) / 1000).toFixed(0)} s`);

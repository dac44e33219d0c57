// Run by `npm install` (the root's `prepare`): brings the tools `npm test` needs beyond the
// build's own (the build scripts install emscripten and OpenBLAS themselves): Debian's
// Chromium for the browser runs. A failure here only warns; `npm run test:browser` tries
// again and then fails with the reason.
import { chromium } from './toolchain.mjs';

try {
  console.log(`[setup] Chromium for the browser tests: ${chromium()}`);
} catch (e) {
  console.warn(`[setup] Chromium is not available (${e instanceof Error ? e.message : String(e)}); the browser tests will need it.`);
}

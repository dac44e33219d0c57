// The conformance suite in headless Chromium (vitest browser mode, playwright provider on
// Debian's /usr/bin/chromium), backend wasm (the native stub reports itself unavailable).
// `npm run test:browser` runs it twice: MLXJS_ISOLATED=1 serves the pages with COOP/COEP
// (cross-origin isolated: SharedArrayBuffer, wasm threads), MLXJS_ISOLATED=0 without them
// (the single-thread fallback). test/browser/isolation.test.ts checks which one it got.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath, isolationHeaders } from './test/browser/chromium.js';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const isolated = process.env['MLXJS_ISOLATED'] !== '0';

// Tests that cannot run in a browser, each with the reason. Everything else in test/ runs.
const nodeOnly = [
  'test/native-backend.test.ts', // the native backend is a Node addon
  // reads docs/ops.md with node:fs, and scripts/ops-table.mjs reads process.argv on import
  'test/ops-table.test.ts',
  // compiles the Metal kernel sources through node:child_process
  'test/metal-sources.test.ts',
  // spawns Node processes (clean exit with threads, MLXJS_WASM_THREADS=0)
  'test/threads-node.test.ts',
  // scans the package sources with node:fs
  'test/op-schema-sources.test.ts',
];

export default defineConfig({
  resolve: {
    alias: {
      '@mlxjs/backend-wasm': src('./packages/backend-wasm/src/index.ts'),
      // What a browser bundle gets through the package's `browser` export condition.
      '@mlxjs/backend-native': src('./packages/backend-native/src/browser.ts'),
      '@mlxjs/core': src('./packages/core/src/index.ts'),
      mlxjs: src('./packages/mlxjs/src/index.ts'),
    },
  },
  server: { headers: isolated ? isolationHeaders : {} },
  // Pre-bundling would move the packages' import.meta.url away from the wasm file.
  optimizeDeps: { exclude: ['mlxjs', '@mlxjs/core', '@mlxjs/backend-wasm', '@mlxjs/backend-native'] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...nodeOnly, 'test/e2e/**', '**/node_modules/**'],
    provide: { crossOriginIsolated: isolated },
    testTimeout: 120000,
    hookTimeout: 120000,
    browser: {
      enabled: true,
      provider: 'playwright',
      headless: true,
      screenshotFailures: false,
      instances: [{ browser: 'chromium', launch: { executablePath: chromiumPath, args: chromiumArgs } }],
    },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Tests run on the TypeScript sources: package names resolve to each package's src/index.ts.
export default defineConfig({
  resolve: {
    alias: {
      '@mlxjs/backend-wasm': src('./packages/backend-wasm/src/index.ts'),
      '@mlxjs/backend-native': src('./packages/backend-native/src/index.ts'),
      '@mlxjs/core': src('./packages/core/src/index.ts'),
      mlxjs: src('./packages/mlxjs/src/index.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // test/browser runs in Chromium (vitest.browser.config.ts), test/e2e on the built
    // packages (vitest.e2e.config.ts).
    exclude: ['test/browser/**', 'test/e2e/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 60000,
    hookTimeout: 60000,
    // gc() lets test/finalization.test.ts check the FinalizationRegistry safety net.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
  },
});

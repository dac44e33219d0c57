// End-to-end checks on the built packages (run after `npm run build`): bundlers, Node, npm
// pack, and the browser example; each test drives Chromium or child processes itself.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    // One file at a time: builds and Chromium are heavy on a 2-core machine.
    fileParallelism: false,
    testTimeout: 300000,
    hookTimeout: 120000,
  },
});

// What a user sees when a bundler set-up did not bring the .wasm along: an error naming the
// URL and pointing at the bundler notes, not WebAssembly's "expected magic word".
import { expect, it } from 'vitest';
import { loadWasmBackend } from '@mlxjs/backend-wasm';

it('an HTML page in place of the module (a dev server fallback) is named as such', async () => {
  const url = new URL('/test/e2e/app/index.html', location.href);
  await expect(loadWasmBackend(url)).rejects.toThrow(`[mlxjs-wasm] ${url.href} answered an HTML page, not the core module.`);
});

it('a file that is not wasm is named as such', async () => {
  const url = new URL('/test/fixtures/slice.json', location.href);
  await expect(loadWasmBackend(url)).rejects.toThrow(/^\[mlxjs-wasm\] .*slice\.json is not a wasm module \(\d+ bytes\)\. A bundler must copy it/);
});

// How the browser tests start Debian's Chromium (see scripts/toolchain.mjs chromium()):
// its own binary, never a browser download, and the flags this sandboxed machine needs
// (background networking off, or Chromium's connections to Google hosts fail at start), and
// gc exposed (--js-flags=--expose-gc) so the memory tests can force a collection, as under
// node --expose-gc.
export const chromiumPath = process.env['MLXJS_CHROMIUM'] ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--js-flags=--expose-gc',
];

/** Headers that make a page cross-origin isolated (SharedArrayBuffer, wasm threads). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

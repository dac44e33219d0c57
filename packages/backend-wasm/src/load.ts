/**
 * Finding and compiling the core's wasm module.
 *
 * `wasmAssets` below is THE one list of files the wasm backend loads at run time: adding a
 * file (a second module, a worker script kept as a plain file) is one line here. Each entry
 * must keep the literal form `new URL('../wasm/<file>', import.meta.url)`:
 * - from src/ (the tests run on sources) it names packages/backend-wasm/wasm/<file>, where
 *   `npm run build:wasm` writes the modules;
 * - the package build (rollup.config.js, plugin `wasmAssets`) copies every file named this
 *   way into dist/ and rewrites the path to './<file>', so the published code finds its
 *   files next to itself;
 * - that literal form is what bundlers detect and copy into an app's output: Vite and
 *   webpack 5 do it natively, Rollup with @web/rollup-plugin-import-meta-assets.
 */
export const wasmAssets = {
  /** The core compiled to a standalone wasm module (single-threaded). */
  core: (): URL => new URL('../wasm/mlxjs-core.wasm', import.meta.url),
  /** The threads build (shared memory; threads.ts). Its worker script, src/worker.js, is a
   * rollup entry of its own (rollup.config.js) found as `./worker.js` beside the code. */
  coreThreads: (): URL => new URL('../wasm/mlxjs-core-mt.wasm', import.meta.url),
} as const;

/** Where the core module is found by default (next to the package's code). */
export const defaultWasmUrl = (): URL => wasmAssets.core();
/** Where the threads build is found by default. */
export const defaultWasmMtUrl = (): URL => wasmAssets.coreThreads();

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** Compiles the module from `url` (a file: URL in Node, fetched elsewhere). */
export async function compileCore(url: URL = defaultWasmUrl()): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:' && isNode()) {
    // The specifier is a variable, and the comments tell Vite and webpack to leave this
    // import alone, so browser bundles never try to resolve a Node builtin.
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule)) as {
      readFile(path: URL): Promise<BufferSource>;
    };
    let bytes: BufferSource;
    try {
      bytes = await fs.readFile(url);
    } catch (e) {
      throw new Error(
        `[mlxjs-wasm] Cannot read the core module at ${url.href} (${e instanceof Error ? e.message : String(e)}); build it with \`npm run build:wasm\`.`,
      );
    }
    return WebAssembly.compile(bytes);
  }
  const response = await fetch(url);
  const hint = 'A bundler must copy it next to the bundle (see the bundler notes in the mlxjs README).';
  if (!response.ok) {
    throw new Error(`[mlxjs-wasm] Cannot fetch the core module at ${url.href}: HTTP ${response.status}. ${hint}`);
  }
  // A dev server's fallback page (HTTP 200, text/html) in place of a missing file is the
  // usual way a bundler set-up fails: say so rather than "expected magic word".
  if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
    throw new Error(`[mlxjs-wasm] ${url.href} answered an HTML page, not the core module. ${hint}`);
  }
  try {
    // Streaming compilation needs the application/wasm content type; not every server sends it.
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const magic = [0x00, 0x61, 0x73, 0x6d];
    if (!magic.every((b, i) => bytes[i] === b)) {
      throw new Error(`[mlxjs-wasm] ${url.href} is not a wasm module (${bytes.length} bytes). ${hint}`);
    }
    return WebAssembly.compile(bytes);
  }
}

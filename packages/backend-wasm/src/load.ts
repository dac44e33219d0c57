/**
 * Finding and compiling the core's wasm module. The file sits at
 * packages/backend-wasm/wasm/mlxjs-core.wasm, which is the same relative path from src/
 * (tests run on sources) and from dist/ (the published build).
 */
export const defaultWasmUrl = (): URL => new URL('../wasm/mlxjs-core.wasm', import.meta.url);
/** The threads build (shared memory; threads.ts), beside the single-thread module. */
export const defaultWasmMtUrl = (): URL => new URL('../wasm/mlxjs-core-mt.wasm', import.meta.url);

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** Compiles the module from `url` (a file: URL in Node, fetched elsewhere). */
export async function compileCore(url: URL = defaultWasmUrl()): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:' && isNode()) {
    // The specifier is a variable so browser bundlers do not try to resolve a Node builtin.
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as {
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
  if (!response.ok) throw new Error(`[mlxjs-wasm] Cannot fetch the core module at ${url.href}: HTTP ${response.status}.`);
  try {
    // Streaming compilation needs the application/wasm content type; not every server sends it.
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

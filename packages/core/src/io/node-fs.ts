/**
 * Node's fs, reached synchronously through process.getBuiltinModule (Node >= 20.16) so that
 * no module of @mlxjs/core imports a Node built-in statically and browser bundles stay
 * clean. In a browser (or an older Node) a path is an Error saying what to pass instead.
 */

/** The few fs functions mlxjs uses. */
export interface NodeFs {
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array): void;
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fstatSync(fd: number): { size: number };
}

type GetBuiltin = (id: string) => unknown;

/** fs, or an Error for `fn` naming what works in this runtime. */
export function nodeFs(fn: string): NodeFs {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: GetBuiltin } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    throw new Error(
      fn === 'load'
        ? '[load] Loading from a path needs Node.js; in a browser pass an ArrayBuffer, Uint8Array, Blob or Response (await mx.loadAsync(...)).'
        : `[${fn}] Saving to a path needs Node.js; in a browser pass null as the file to get the bytes.`,
    );
  }
  if (typeof proc.getBuiltinModule !== 'function') throw new Error(`[${fn}] File paths need Node.js >= 20.16 (process.getBuiltinModule).`);
  return proc.getBuiltinModule('node:fs') as NodeFs;
}

/** A path string from a string or a file: URL (string or URL object). */
export function pathOf(file: string | URL, fn: string): string {
  const isUrl = file instanceof URL || /^file:\/\//i.test(file);
  if (!isUrl) return file as string;
  const url = file instanceof URL ? file : new URL(file);
  if (url.protocol !== 'file:') throw new Error(`[${fn}] Only file: URLs name files (got ${url.protocol}); fetch() others and pass the Response.`);
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  nodeFs(fn); // the same Error as a path in a browser
  return (proc!.getBuiltinModule!('node:url') as { fileURLToPath(u: URL): string }).fileURLToPath(url);
}

/** Wraps an fs failure (ENOENT, EACCES, ...) as `[fn] ...`. */
export function fsError(e: unknown, fn: string, path: string): Error {
  const code = (e as { code?: string }).code;
  const msg = e instanceof Error ? e.message : String(e);
  return new Error(`[${fn}] Cannot ${fn === 'load' ? 'read' : 'write'} '${path}'${code ? ` (${code})` : ''}: ${msg}`);
}

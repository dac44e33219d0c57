/**
 * mx.load / mx.loadAsync: MLX's load. A .npy file gives an array; .npz, .safetensors and
 * .gguf give `{ name: array }`; with `returnMetadata` (.safetensors, .gguf) `[arrays,
 * metadata]`. Sources: a path or file: URL (Node), an ArrayBuffer or typed array (any
 * runtime, synchronously), and with loadAsync also a Blob/File or a fetch Response.
 */
import type { MxArray } from '../array.js';
import { arrayOfRaw, arraysOfRaw } from './tensor-arrays.js';
import { checkFormat, type FileFormat, formatOfName, sniffFormat } from './formats.js';
import { loadGguf, type GgufMetadata } from './gguf-arrays.js';
import { fsError, nodeFs, pathOf } from './node-fs.js';
import { readNpy } from './npy.js';
import { readNpz } from './npz.js';
import { readSafetensors } from './safetensors.js';
import { loadSafetensorsPath } from './safetensors-file.js';

/** What mx.load reads synchronously. */
export type LoadSource = string | URL | ArrayBuffer | ArrayBufferView;
/** What mx.loadAsync reads (everything mx.load does, plus Blob/File and Response). */
export type AsyncLoadSource = LoadSource | Blob | Response;

export interface LoadOptions {
  /** 'npy' | 'npz' | 'safetensors' | 'gguf'; default: the extension, else the file's magic bytes. */
  format?: FileFormat;
  /** Also return the file's metadata (.safetensors: strings; .gguf: strings, string lists, arrays). */
  returnMetadata?: boolean;
  /** .gguf only: load quantized tensors as float arrays instead of MLX's (weight, scales, biases). */
  dequantize?: boolean;
}

/** metadata of a .safetensors (string values) or .gguf file. */
export type LoadMetadata = Record<string, string> | GgufMetadata;
export type LoadResult = MxArray | Record<string, MxArray>;

/** The bytes of a synchronous source, or null for a path. */
function bytesOf(src: LoadSource): Uint8Array | null {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  if (typeof SharedArrayBuffer !== 'undefined' && (src as unknown) instanceof SharedArrayBuffer) return new Uint8Array(src as unknown as SharedArrayBuffer);
  return null;
}

function decide(options: LoadOptions, name: string | undefined, head: () => Uint8Array): FileFormat {
  if (options.format !== undefined) return checkFormat(options.format, 'load');
  const f = formatOfName(name) ?? sniffFormat(head());
  if (f === null) {
    throw new Error(`[load] Cannot tell the format of ${name !== undefined ? `'${name}'` : 'the data'}: pass { format: 'npy' | 'npz' | 'safetensors' | 'gguf' }.`);
  }
  return f;
}

function checkOptions(options: unknown): LoadOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new Error('[load] options must be an object ({ format, returnMetadata }).');
  return options as LoadOptions;
}

function fromBytes(bytes: Uint8Array, format: FileFormat, options: LoadOptions): unknown {
  const meta = options.returnMetadata === true;
  if (meta && (format === 'npy' || format === 'npz')) {
    throw new Error(`[load] returnMetadata is only supported for .safetensors and .gguf files (this is ${format}).`);
  }
  switch (format) {
    case 'npy':
      return arrayOfRaw(readNpy(bytes));
    case 'npz':
      return arraysOfRaw(readNpz(bytes));
    case 'safetensors': {
      const { tensors, metadata } = readSafetensors(bytes);
      const arrays = arraysOfRaw(tensors);
      return meta ? [arrays, metadata] : arrays;
    }
    case 'gguf':
      return loadGguf(bytes, meta, options.dequantize === true);
  }
}

/**
 * Loads arrays from a file (Node path or file: URL) or bytes: `.npy` -> an array, `.npz` /
 * `.safetensors` / `.gguf` -> `{ name: array }`; `{ returnMetadata: true }` -> `[arrays,
 * metadata]`. A .safetensors path is read tensor by tensor straight into array memory.
 */
export function load(file: LoadSource, options: LoadOptions & { returnMetadata: true }): [Record<string, MxArray>, LoadMetadata];
export function load(file: LoadSource, options: LoadOptions & { format: 'npy' }): MxArray;
export function load(file: LoadSource, options?: LoadOptions): LoadResult;
export function load(file: LoadSource, options?: LoadOptions): LoadResult | [Record<string, MxArray>, LoadMetadata] {
  const opts = checkOptions(options);
  const bytes = bytesOf(file);
  if (bytes !== null) return fromBytes(bytes, decide(opts, undefined, () => bytes.subarray(0, 16)), opts) as LoadResult;
  if (typeof file !== 'string' && !(file instanceof URL)) {
    const kind = typeof Blob !== 'undefined' && (file as unknown) instanceof Blob ? 'a Blob'
      : typeof Response !== 'undefined' && (file as unknown) instanceof Response ? 'a Response' : null;
    if (kind !== null) throw new Error(`[load] Reading ${kind} is asynchronous: use await mx.loadAsync(...).`);
    throw new Error(`[load] Cannot load from ${file === null ? 'null' : typeof file}: pass a path, ArrayBuffer, Uint8Array, Blob or Response.`);
  }
  const path = pathOf(file, 'load');
  const fs = nodeFs('load');
  let whole: Uint8Array | null = null;
  const readWhole = (): Uint8Array => {
    if (whole === null) {
      try {
        whole = fs.readFileSync(path);
      } catch (e) {
        throw fsError(e, 'load', path);
      }
    }
    return whole;
  };
  const format = decide(opts, path, readWhole);
  if (format === 'safetensors') {
    if (whole === null) {
      const { arrays, metadata } = loadSafetensorsPath(path);
      return (opts.returnMetadata === true ? [arrays, metadata] : arrays) as LoadResult;
    }
  }
  return fromBytes(readWhole(), format, opts) as LoadResult;
}

/** The name a Blob (File) or Response carries, for the extension. */
function nameOf(src: Blob | Response): string | undefined {
  if (typeof Response !== 'undefined' && src instanceof Response) return src.url ? new URL(src.url).pathname : undefined;
  const name = (src as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * mx.load for any source, including those read asynchronously: a Blob or File (an
 * `<input type=file>`'s files) or a fetch() Response. Resolves to what mx.load returns.
 */
export async function loadAsync(file: AsyncLoadSource, options: LoadOptions & { returnMetadata: true }): Promise<[Record<string, MxArray>, LoadMetadata]>;
export async function loadAsync(file: AsyncLoadSource, options: LoadOptions & { format: 'npy' }): Promise<MxArray>;
export async function loadAsync(file: AsyncLoadSource, options?: LoadOptions): Promise<LoadResult>;
export async function loadAsync(file: AsyncLoadSource, options?: LoadOptions): Promise<unknown> {
  const opts = checkOptions(options);
  const isBlob = typeof Blob !== 'undefined' && file instanceof Blob;
  const isResponse = typeof Response !== 'undefined' && file instanceof Response;
  if (!isBlob && !isResponse) return load(file as LoadSource, opts);
  const src = file as Blob | Response;
  if (isResponse && !(src as Response).ok) {
    throw new Error(`[load] The response for ${(src as Response).url || 'the request'} failed (HTTP ${(src as Response).status}).`);
  }
  let buffer: ArrayBuffer;
  try {
    buffer = await src.arrayBuffer();
  } catch (e) {
    throw new Error(`[load] Reading the ${isBlob ? 'Blob' : 'Response'} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bytes = new Uint8Array(buffer);
  return fromBytes(bytes, decide(opts, nameOf(src), () => bytes.subarray(0, 16)), opts);
}

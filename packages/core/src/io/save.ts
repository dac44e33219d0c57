/**
 * MLX's savers: mx.save (.npy), mx.savez / mx.savezCompressed (.npz), mx.saveSafetensors,
 * mx.saveGguf. Given a path (Node) they write the file, adding the format's extension when
 * the name lacks it, as MLX does; given `null` they return the file's bytes (any runtime).
 */
import { MxArray } from '../array.js';
import { ggufBytes, type GgufMetadataValue } from './gguf-arrays.js';
import { fsError, nodeFs, pathOf } from './node-fs.js';
import { writeNpy } from './npy.js';
import { writeNpz } from './npz.js';
import type { RawTensor } from './raw-tensor.js';
import { writeSafetensors } from './safetensors.js';
import { rawOfArray } from './tensor-arrays.js';

/** Where a saver writes: a path or file: URL (Node), or null for the bytes. */
export type SaveTarget = string | URL | null;

/** Writes `bytes` to `file` (extension added when missing) or returns them for null. */
function deliver(file: SaveTarget, bytes: Uint8Array, ext: string, fn: string): Uint8Array | undefined {
  if (file === null) return bytes;
  if (typeof file !== 'string' && !(file instanceof URL)) {
    throw new Error(`[${fn}] file must be a path, a file: URL or null (for the bytes), not ${typeof file}.`);
  }
  let path = pathOf(file, fn);
  if (!path.endsWith(ext)) path += ext;
  const fs = nodeFs(fn);
  try {
    fs.writeFileSync(path, bytes);
  } catch (e) {
    throw fsError(e, fn, path);
  }
  return undefined;
}

/** Named arrays (a `{ name: array }` object, or a list saved as arr_0, arr_1, ... as NumPy) as RawTensors. */
function namedRaw(arrays: unknown, fn: string, allowList: boolean): Array<[string, RawTensor]> {
  if (Array.isArray(arrays)) {
    if (!allowList) throw new Error(`[${fn}] arrays must be an object { name: array }.`);
    return arrays.map((a, i) => [`arr_${i}`, rawOfArray(a as MxArray, `arr_${i}`, fn)]);
  }
  if (typeof arrays !== 'object' || arrays === null || arrays instanceof MxArray) {
    throw new Error(`[${fn}] arrays must be an object { name: array }${allowList ? ' or a list of arrays' : ''}.`);
  }
  return Object.entries(arrays as Record<string, unknown>).map(([k, a]) => [k, rawOfArray(a as MxArray, k, fn)]);
}

/** Saves one array as .npy (`file` null: returns the bytes). */
export function save(file: null, arr: MxArray): Uint8Array;
export function save(file: string | URL, arr: MxArray): void;
export function save(file: SaveTarget, arr: MxArray): Uint8Array | undefined;
export function save(file: SaveTarget, arr: MxArray): Uint8Array | undefined {
  return deliver(file, writeNpy(rawOfArray(arr, 'arr', 'save')), '.npy', 'save');
}

/** Saves named arrays (or a list: arr_0, arr_1, ...) as an uncompressed .npz. */
export function savez(file: null, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array;
export function savez(file: string | URL, arrays: Record<string, MxArray> | readonly MxArray[]): void;
export function savez(file: SaveTarget, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array | undefined;
export function savez(file: SaveTarget, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array | undefined {
  return deliver(file, writeNpz(namedRaw(arrays, 'savez', true), false, 'savez'), '.npz', 'savez');
}

/** savez with each entry deflated. */
export function savezCompressed(file: null, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array;
export function savezCompressed(file: string | URL, arrays: Record<string, MxArray> | readonly MxArray[]): void;
export function savezCompressed(file: SaveTarget, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array | undefined;
export function savezCompressed(file: SaveTarget, arrays: Record<string, MxArray> | readonly MxArray[]): Uint8Array | undefined {
  return deliver(file, writeNpz(namedRaw(arrays, 'savez_compressed', true), true, 'savez_compressed'), '.npz', 'savez_compressed');
}

export interface SafetensorsSaveOptions {
  /** String key/value pairs stored as the file's `__metadata__`. */
  metadata?: Record<string, string>;
}

/** Saves `{ name: array }` as .safetensors, with optional string metadata. */
export function saveSafetensors(file: null, arrays: Record<string, MxArray>, options?: SafetensorsSaveOptions): Uint8Array;
export function saveSafetensors(file: string | URL, arrays: Record<string, MxArray>, options?: SafetensorsSaveOptions): void;
export function saveSafetensors(file: SaveTarget, arrays: Record<string, MxArray>, options?: SafetensorsSaveOptions): Uint8Array | undefined;
export function saveSafetensors(file: SaveTarget, arrays: Record<string, MxArray>, options: SafetensorsSaveOptions = {}): Uint8Array | undefined {
  const fn = 'save_safetensors';
  const metadata = options.metadata;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null)) throw new Error(`[${fn}] metadata must be an object of strings.`);
  return deliver(file, writeSafetensors(namedRaw(arrays, fn, false), metadata, fn), '.safetensors', fn);
}

export interface GgufSaveOptions {
  /** GGUF metadata: strings, lists of strings, or 0-d/1-d arrays. */
  metadata?: Record<string, GgufMetadataValue>;
}

/** Saves `{ name: array }` as .gguf, with optional metadata. */
export function saveGguf(file: null, arrays: Record<string, MxArray>, options?: GgufSaveOptions): Uint8Array;
export function saveGguf(file: string | URL, arrays: Record<string, MxArray>, options?: GgufSaveOptions): void;
export function saveGguf(file: SaveTarget, arrays: Record<string, MxArray>, options?: GgufSaveOptions): Uint8Array | undefined;
export function saveGguf(file: SaveTarget, arrays: Record<string, MxArray>, options: GgufSaveOptions = {}): Uint8Array | undefined {
  const fn = 'save_gguf';
  return deliver(file, ggufBytes(namedRaw(arrays, fn, false), options.metadata, fn), '.gguf', fn);
}

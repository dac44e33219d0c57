/** Which format a file is in: from an explicit option, the name's extension, or its first bytes. */
import { NPY_MAGIC } from './npy.js';

export type FileFormat = 'npy' | 'npz' | 'safetensors' | 'gguf';
export const FORMATS: readonly FileFormat[] = ['npy', 'npz', 'safetensors', 'gguf'];

/** The format a name's extension says (case-sensitive, as MLX), or null. */
export function formatOfName(name: string | undefined): FileFormat | null {
  if (name === undefined) return null;
  const base = name.replace(/[?#].*$/, '');
  const dot = base.lastIndexOf('.');
  if (dot < 0 || base.lastIndexOf('/') > dot) return null;
  const ext = base.slice(dot + 1);
  return (FORMATS as readonly string[]).includes(ext) ? (ext as FileFormat) : null;
}

/** The format the first bytes announce, or null. */
export function sniffFormat(head: Uint8Array): FileFormat | null {
  const starts = (sig: readonly number[]): boolean => head.length >= sig.length && sig.every((b, i) => head[i] === b);
  if (starts(NPY_MAGIC)) return 'npy';
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) return 'npz';
  if (starts([0x47, 0x47, 0x55, 0x46])) return 'gguf'; // "GGUF"
  // safetensors: a little-endian u64 header size, then the JSON object's '{'.
  if (head.length >= 9 && head[8] === 0x7b && head[6] === 0 && head[7] === 0) return 'safetensors';
  return null;
}

/** Checks a `format` option. */
export function checkFormat(format: unknown, fn: string): FileFormat {
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    throw new Error(`[${fn}] Unknown file format ${JSON.stringify(format)}; expected one of ${FORMATS.join(', ')}.`);
  }
  return format as FileFormat;
}

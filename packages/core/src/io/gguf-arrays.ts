/**
 * GGUF in mx.load / mx.saveGguf: the byte-level reader and writer are gguf.ts; this file
 * only converts between their RawTensors and mlxjs arrays. GGUF metadata values come back
 * as MLX gives them: strings, lists of strings, and numbers (and numeric lists) as 0-d (1-d)
 * arrays; saving takes the same kinds.
 */
import { MxArray } from '../array.js';
import { type GgufValue, readGguf, writeGguf } from './gguf.js';
import type { RawTensor } from './raw-tensor.js';
import { allOrNothing, arrayOfRaw, defineEntry, rawOfArray } from './tensor-arrays.js';

/** A GGUF metadata value as mlxjs returns and takes it. */
export type GgufMetadataValue = string | string[] | MxArray;
export type GgufMetadata = Record<string, GgufMetadataValue>;

/** The tensors (and with `returnMetadata`, the metadata) of a GGUF file, as arrays. */
export function loadGguf(
  bytes: Uint8Array,
  returnMetadata: boolean,
  dequantize: boolean,
): Record<string, MxArray> | [Record<string, MxArray>, GgufMetadata] {
  const { tensors, metadata } = readGguf(bytes, { dequantize });
  return allOrNothing((made) => {
    const arrays: Record<string, MxArray> = {};
    for (const [name, t] of tensors) {
      const a = arrayOfRaw(t);
      made.push(a);
      defineEntry(arrays, name, a);
    }
    if (!returnMetadata) return arrays;
    const meta: GgufMetadata = {};
    for (const [key, v] of Object.entries(metadata)) {
      if (typeof v === 'string') defineEntry<GgufMetadataValue>(meta, key, v);
      else if (Array.isArray(v)) defineEntry<GgufMetadataValue>(meta, key, v.slice());
      else {
        const a = arrayOfRaw(v);
        made.push(a);
        defineEntry<GgufMetadataValue>(meta, key, a);
      }
    }
    return [arrays, meta];
  });
}

/** A GGUF file holding `tensors` and `metadata` (strings, string lists, 0-d/1-d arrays). */
export function ggufBytes(tensors: Array<[string, RawTensor]>, metadata: Record<string, unknown> | undefined, fn: string): Uint8Array {
  const meta: Record<string, GgufValue> = {};
  for (const [key, v] of Object.entries(metadata ?? {})) {
    if (typeof v === 'string') meta[key] = v;
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) meta[key] = v.slice() as string[];
    else if (v instanceof MxArray) {
      if (v.ndim > 1) throw new Error(`[${fn}] Metadata array '${key}' must be 0-d or 1-d (got shape [${v.shape.join(', ')}]).`);
      meta[key] = rawOfArray(v, key, fn);
    } else {
      throw new Error(`[${fn}] Metadata value '${key}' must be a string, a list of strings or an mx.Array.`);
    }
  }
  return writeGguf(tensors, meta);
}

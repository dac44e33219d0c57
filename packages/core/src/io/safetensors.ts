/**
 * The .safetensors format: an 8-byte little-endian header size N, N bytes of JSON
 * `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}` (space padded), then the data, with offsets relative to
 * its start. As the format requires (and its reference reader checks), the tensors' byte
 * ranges tile the data exactly: sorted by offset each begins where the previous ended, the
 * last ends at the end of the file, and each is exactly its shape's byte size.
 */
import type { DtypeName } from '../opcodes.js';
import { dtypeOfSafetensorsName, safetensorsName } from './dtype-tables.js';
import type { RawTensor } from './raw-tensor.js';
import { tensorByteSize } from './tensor-size.js';

/** The reference reader's limit: a larger header is refused as corrupt. */
const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry in the header; `begin`/`end` are absolute file offsets. */
export interface SafetensorsEntry {
  name: string;
  dtype: DtypeName;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** In the header's order (JSON object order). */
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

/** The header size from the first 8 bytes, checked against the file size. */
export function safetensorsHeaderSize(first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || first8.length < 8) throw new Error(`[load] The safetensors file is truncated (${fileSize} bytes).`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER_BYTES) throw new Error(`[load] The safetensors header size ${n} is implausible (corrupt file).`);
  if (8 + n > fileSize) throw new Error(`[load] The safetensors header (${n} bytes) runs past the end of the file (${fileSize} bytes).`);
  return n;
}

/** Parses and checks the JSON header (`headerBytes`: the N bytes after the size). */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new Error(`[load] The safetensors header is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('[load] The safetensors header is not a JSON object.');
  const dataStart = 8 + headerBytes.length;
  const dataSize = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('[load] The safetensors __metadata__ is not an object.');
      for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
        if (typeof s !== 'string') throw new Error(`[load] The safetensors __metadata__ value of '${k}' is not a string.`);
        metadata[k] = s;
      }
      continue;
    }
    const info = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (typeof info !== 'object' || info === null) throw new Error(`[load] The safetensors entry '${name}' is not an object.`);
    const dtype = dtypeOfSafetensorsName(info.dtype);
    if (!Array.isArray(info.shape)) throw new Error(`[load] The safetensors entry '${name}' has no shape list.`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      throw new Error(`[load] The safetensors entry '${name}' has invalid data_offsets.`);
    }
    const [b, e] = offsets as [number, number];
    const nbytes = tensorByteSize(info.shape as unknown[], dtype, 'load');
    if (e < b || e - b !== nbytes) {
      throw new Error(`[load] The safetensors entry '${name}' has data_offsets [${b}, ${e}] but shape [${(info.shape as number[]).join(', ')}] ${dtype} needs ${nbytes} bytes.`);
    }
    if (e > dataSize) {
      throw new Error(`[load] The safetensors entry '${name}' ends at byte ${e}, past the end of the data (${dataSize} bytes): the file is truncated or corrupt.`);
    }
    entries.push({ name, dtype, shape: (info.shape as number[]).slice(), begin: dataStart + b, end: dataStart + e });
  }
  // The byte ranges must tile the data: no overlap, no hole, nothing after the last one.
  const sorted = entries.slice().sort((x, y) => x.begin - y.begin || x.end - y.end);
  let at = dataStart;
  for (const t of sorted) {
    if (t.begin !== at) {
      throw new Error(`[load] The safetensors entry '${t.name}' starts at data byte ${t.begin - dataStart}, expected ${at - dataStart} (overlapping or gapped offsets).`);
    }
    at = t.end;
  }
  if (at !== fileSize) throw new Error(`[load] The safetensors data is ${dataSize} bytes but its tensors cover ${at - dataStart}.`);
  return { entries, metadata };
}

/** Every tensor of a safetensors file held in memory (copies: `bytes` is not kept). */
export function readSafetensors(bytes: Uint8Array): { tensors: Array<[string, RawTensor]>; metadata: Record<string, string> } {
  const n = safetensorsHeaderSize(bytes.subarray(0, 8), bytes.length);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.length);
  const tensors = header.entries.map((t): [string, RawTensor] => {
    const data = bytes.slice(t.begin, t.end);
    if (t.dtype === 'bool') for (let i = 0; i < data.length; i++) data[i] = data[i] === 0 ? 0 : 1;
    return [t.name, { dtype: t.dtype, shape: t.shape, bytes: data }];
  });
  return { tensors, metadata: header.metadata };
}

/** The header JSON for `tensors` laid out back to back in the given order, padded to 8 bytes. */
function headerBytes(tensors: ReadonlyArray<readonly [string, RawTensor]>, metadata: Record<string, string> | undefined, fn: string): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`[${fn}] Metadata values must be strings; '${k}' is ${typeof v}.`);
    }
    header['__metadata__'] = metadata;
  }
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new Error(`[${fn}] '__metadata__' is reserved and cannot name an array.`);
    if (Object.prototype.hasOwnProperty.call(header, name)) throw new Error(`[${fn}] Duplicate array name '${name}'.`);
    header[name] = { dtype: safetensorsName(t.dtype), shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  const text = new TextEncoder().encode(JSON.stringify(header));
  const padded = new Uint8Array(Math.ceil(text.length / 8) * 8).fill(0x20);
  padded.set(text);
  return padded;
}

/** A safetensors file holding `tensors` (in order) and string `metadata`. */
export function writeSafetensors(tensors: ReadonlyArray<readonly [string, RawTensor]>, metadata: Record<string, string> | undefined, fn: string): Uint8Array {
  const header = headerBytes(tensors, metadata, fn);
  const dataSize = tensors.reduce((s, [, t]) => s + t.bytes.length, 0);
  const out = new Uint8Array(8 + header.length + dataSize);
  const view = new DataView(out.buffer);
  view.setUint32(0, header.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(header.length / 2 ** 32), true);
  out.set(header, 8);
  let at = 8 + header.length;
  for (const [, t] of tensors) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

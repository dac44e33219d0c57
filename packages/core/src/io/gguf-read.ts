/**
 * readGguf: a GGUF v2/v3 file's tensors and metadata, as MLX's GGUF loader returns them.
 * Layout: magic "GGUF", uint32 version, uint64 tensor count, uint64 metadata count, the
 * metadata (key string, uint32 value type, value), the tensor infos (name, uint32 ndim,
 * uint64 dims innermost first, uint32 type, uint64 offset into the data section), then the
 * data section at the next multiple of the alignment. All integers little-endian.
 */
import type { DtypeName } from '../opcodes.js';
import type { RawTensor } from './raw-tensor.js';
import type { GgufValue } from './gguf-value.js';
import { GgufCursor, loadError } from './gguf-cursor.js';
import {
  GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_MAX_DIMS, ValueType, dtypeSize, plainTensorDtype,
  tensorTypeName, valueTypeDtype,
} from './gguf-format.js';
import { dequantizeBlocks, quantFormats, quantizedTriplet, type QuantFormat } from './gguf-quants.js';
import { float16Bits } from '../half.js';

interface TensorInfo { name: string; shape: number[]; count: number; type: number; offset: number; nbytes: number }

/** Smallest encodings, used to cap counts by the bytes remaining before allocating anything. */
const MIN_KV_BYTES = 8 + 4 + 1; // empty key, value type, one-byte value
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8; // empty name, ndim 0, type, offset
const MAX_DIM = 2 ** 31 - 1; // mlxjs shapes are int32

function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  // defineProperty keeps a key such as "__proto__" an ordinary own property.
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function readHeader(c: GgufCursor): { tensorCount: number; kvCount: number } {
  if (c.bytes.length < 4 || c.u32('magic') !== GGUF_MAGIC) throw loadError('not a GGUF file (the magic bytes are not "GGUF")');
  const version = c.u32('version');
  if (version !== 2 && version !== 3) {
    const swapped = ((version & 0xff) << 24 | (version & 0xff00) << 8 | (version >>> 8) & 0xff00 | version >>> 24) >>> 0;
    if (swapped === 2 || swapped === 3) throw loadError('big-endian GGUF files are not supported');
    throw loadError(`GGUF version ${version} is not supported (versions 2 and 3 are)`);
  }
  const tensorCount = c.u64('tensor count');
  const kvCount = c.u64('metadata count');
  if (kvCount * MIN_KV_BYTES > c.remaining) throw loadError(`metadata count ${kvCount} is larger than the file could hold`);
  return { tensorCount, kvCount };
}

/** A numeric or bool value (or `count` of them) as a RawTensor copy; bools are normalized to 0/1. */
function readNumbers(c: GgufCursor, dtype: DtypeName, shape: number[], count: number, what: string): RawTensor {
  const size = dtypeSize[dtype];
  if (count > c.remaining / size) throw loadError(`GGUF file is truncated: ${what} has ${count} values, more than the ${c.remaining} bytes remaining hold`);
  const bytes = c.take(count * size, what).slice();
  if (dtype === 'bool') for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i] ? 1 : 0;
  return { dtype, shape, bytes };
}

function readValue(c: GgufCursor, type: number, key: string): GgufValue {
  const what = `metadata "${key}"`;
  if (type === ValueType.STRING) return c.string(what);
  const dtype = valueTypeDtype.get(type);
  if (dtype !== undefined) return readNumbers(c, dtype, [], 1, what);
  if (type !== ValueType.ARRAY) throw loadError(`${what} has unknown value type ${type}`);
  const elemType = c.u32(`${what} array type`);
  const len = c.u64(`${what} array length`);
  if (elemType === ValueType.STRING) {
    if (len > c.remaining / 8) throw loadError(`GGUF file is truncated: ${what} has ${len} strings, more than the ${c.remaining} bytes remaining hold`);
    const out: string[] = [];
    for (let i = 0; i < len; i++) out.push(c.string(`${what}[${i}]`));
    return out;
  }
  if (elemType === ValueType.ARRAY) throw loadError(`${what} is a nested array, which is not supported (as in MLX)`);
  const elemDtype = valueTypeDtype.get(elemType);
  if (elemDtype === undefined) throw loadError(`${what} is an array of unknown value type ${elemType}`);
  return readNumbers(c, elemDtype, [len], len, what);
}

function readMetadata(c: GgufCursor, kvCount: number): Record<string, GgufValue> {
  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = c.string(`metadata key ${i}`);
    const type = c.u32(`metadata "${key}" value type`);
    setEntry(metadata, key, readValue(c, type, key)); // a repeated key keeps its last value, as in MLX
  }
  return metadata;
}

function alignmentOf(metadata: Record<string, GgufValue>): number {
  if (!Object.prototype.hasOwnProperty.call(metadata, 'general.alignment')) return GGUF_DEFAULT_ALIGNMENT;
  const v = metadata['general.alignment'];
  if (typeof v !== 'object' || Array.isArray(v) || v.dtype !== 'uint32' || v.shape.length !== 0) {
    throw loadError('metadata "general.alignment" must be a uint32');
  }
  const a = new DataView(v.bytes.buffer, v.bytes.byteOffset, 4).getUint32(0, true);
  if (a === 0 || (a & (a - 1)) !== 0) throw loadError(`general.alignment ${a} is not a power of two`);
  return a;
}

/** Byte size of `count` elements of a supported tensor type, or an Error naming the type. */
function tensorBytes(name: string, type: number, shape: number[], count: number): number {
  const dtype = plainTensorDtype.get(type);
  if (dtype !== undefined) return count * dtypeSize[dtype];
  const fmt = quantFormats.get(type);
  if (fmt === undefined) {
    throw loadError(`tensor "${name}" has GGUF type ${tensorTypeName(type)} (${type}), which is not supported`);
  }
  const last = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  if (last % fmt.blockElems !== 0) {
    throw loadError(`tensor "${name}" (${fmt.name}) has incompatible last dim shape: ${last} (a multiple of ${fmt.blockElems} is needed)`);
  }
  return (count / fmt.blockElems) * fmt.blockBytes;
}

function readTensorInfo(c: GgufCursor, i: number): TensorInfo {
  const name = c.string(`tensor ${i} name`);
  const what = `tensor "${name}"`;
  const ndim = c.u32(`${what} dimension count`);
  if (ndim > GGUF_MAX_DIMS) throw loadError(`${what} has ${ndim} dimensions (at most ${GGUF_MAX_DIMS} are supported)`);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const n = c.u64(`${what} dimension ${d}`);
    if (n > MAX_DIM) throw loadError(`${what} dimension ${d} is ${n}, larger than ${MAX_DIM}`);
    dims.push(n);
    count *= n;
    if (count > Number.MAX_SAFE_INTEGER) throw loadError(`${what} has too many elements`);
  }
  const shape = dims.reverse(); // GGUF lists the innermost dimension first
  const type = c.u32(`${what} type`);
  const offset = c.u64(`${what} offset`);
  return { name, shape, count, type, offset, nbytes: tensorBytes(name, type, shape, count) };
}

function readTensorInfos(c: GgufCursor, tensorCount: number): TensorInfo[] {
  if (tensorCount * MIN_TENSOR_INFO_BYTES > c.remaining) {
    throw loadError(`tensor count ${tensorCount} is larger than the file could hold`);
  }
  const infos: TensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) infos.push(readTensorInfo(c, i));
  return infos;
}

function checkPlacement(infos: TensorInfo[], dataStart: number, alignment: number, fileSize: number): void {
  for (const t of infos) {
    if (t.offset % alignment !== 0) {
      throw loadError(`tensor "${t.name}" offset ${t.offset} is not a multiple of the alignment ${alignment}`);
    }
    const end = dataStart + t.offset + t.nbytes;
    if (end > fileSize) {
      throw loadError(`tensor "${t.name}" data (bytes ${dataStart + t.offset}..${end}) lies past the end of the file (${fileSize} bytes)`);
    }
  }
}

function floatBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function float16BytesOf(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const h = float16Bits(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >> 8;
  }
  return out;
}

/** MLX names a quantized tensor's scales and biases after its name without ".weight". */
function tripletPrefix(name: string): string {
  return name.endsWith('.weight') ? name.slice(0, -'.weight'.length) : name;
}

/** The names the tensors load as, each once (checked before anything is decoded). */
function checkNames(infos: TensorInfo[]): void {
  const seen = new Set<string>();
  for (const t of infos) {
    const fmt = quantFormats.get(t.type);
    const names = fmt?.triplet !== undefined
      ? [t.name, `${tripletPrefix(t.name)}.scales`, `${tripletPrefix(t.name)}.biases`]
      : [t.name];
    for (const name of names) {
      if (seen.has(name)) throw loadError(`duplicate tensor name "${name}" (this can happen when loading quantized tensors)`);
      seen.add(name);
    }
  }
}

/** The tensors one quantized GGUF tensor loads as. */
function quantizedEntries(bytes: Uint8Array, t: TensorInfo, start: number, fmt: QuantFormat, dequantize: boolean): Array<[string, RawTensor]> {
  if (dequantize || fmt.triplet === undefined) {
    const values = dequantizeBlocks(bytes, start, t.count, fmt);
    // Types MLX has no quantized layout for (Q2_K, Q6_K) load as float16 in MLX; asked to
    // dequantize, every type gives float32, which holds GGUF's values exactly.
    const out = dequantize
      ? { dtype: 'float32' as const, bytes: floatBytes(values) }
      : { dtype: 'float16' as const, bytes: float16BytesOf(values) };
    return [[t.name, { ...out, shape: t.shape }]];
  }
  const { weights, scales, biases } = quantizedTriplet(bytes, start, t.count, fmt);
  const lead = t.shape.slice(0, -1);
  const cols = t.shape[t.shape.length - 1]!;
  const prefix = tripletPrefix(t.name);
  return [
    [t.name, { dtype: 'uint32', shape: [...lead, (cols * fmt.triplet.bits) / 32], bytes: weights }],
    [`${prefix}.scales`, { dtype: 'float16', shape: [...lead, cols / 32], bytes: scales }],
    [`${prefix}.biases`, { dtype: 'float16', shape: [...lead, cols / 32], bytes: biases }],
  ];
}

/**
 * Tensors (in file order) and metadata of a GGUF file. Plain tensors' bytes are views into
 * `bytes` (no copy, at any byteOffset: copy them before viewing them as wider typed arrays);
 * quantized ones are MLX's triplet (name, prefix.scales, prefix.biases, in that order), or with
 * `dequantize` one float32 tensor. Metadata values are copies.
 */
export function readGguf(
  bytes: Uint8Array,
  opts: { dequantize?: boolean } = {},
): { tensors: Array<[string, RawTensor]>; metadata: Record<string, GgufValue> } {
  const c = new GgufCursor(bytes);
  const { tensorCount, kvCount } = readHeader(c);
  const metadata = readMetadata(c, kvCount);
  const alignment = alignmentOf(metadata);
  const infos = readTensorInfos(c, tensorCount);
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  checkPlacement(infos, dataStart, alignment, bytes.length);
  checkNames(infos);
  const tensors: Array<[string, RawTensor]> = [];
  for (const t of infos) {
    const start = dataStart + t.offset;
    const dtype = plainTensorDtype.get(t.type);
    if (dtype !== undefined) tensors.push([t.name, { dtype, shape: t.shape, bytes: bytes.subarray(start, start + t.nbytes) }]);
    else tensors.push(...quantizedEntries(bytes, t, start, quantFormats.get(t.type)!, opts.dequantize === true));
  }
  return { tensors, metadata };
}

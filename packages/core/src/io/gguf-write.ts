/**
 * writeGguf: a GGUF v3 file, as MLX's save_gguf writes it: metadata first (strings, string
 * lists, scalars from 0-d tensors, arrays from 1-D tensors), then tensor infos with dims
 * innermost first, then each tensor's bytes at a multiple of 32 or of `general.alignment` when
 * the metadata sets it (zero padding), offsets
 * relative to the data section.
 */
import type { RawTensor } from './raw-tensor.js';
import type { GgufValue } from './gguf-value.js';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_MAX_DIMS, ValueType, dtypeSize, dtypeTensorType, dtypeValueType } from './gguf-format.js';

function saveError(message: string): Error {
  return new Error(`[save_gguf] ${message}`);
}

const utf8 = new TextEncoder();

/**
 * The alignment the file declares: `general.alignment` when the metadata has it (a uint32
 * power of two, as readers require), else 32. Honouring it keeps a loaded file's metadata
 * saveable as is (MLX always pads to 32, which would contradict such a key).
 */
function alignmentOf(metadata: Record<string, GgufValue>): number {
  if (!Object.prototype.hasOwnProperty.call(metadata, 'general.alignment')) return GGUF_DEFAULT_ALIGNMENT;
  const v = metadata['general.alignment'];
  if (!isRawTensor(v) || v.dtype !== 'uint32' || v.shape.length !== 0 || v.bytes.length !== 4) {
    throw saveError('metadata "general.alignment" must be a uint32 scalar');
  }
  const a = new DataView(v.bytes.buffer, v.bytes.byteOffset, 4).getUint32(0, true);
  if (a === 0 || (a & (a - 1)) !== 0) throw saveError(`general.alignment ${a} is not a power of two`);
  return a;
}

/** Appends little-endian fields to a growing list of chunks. */
class Chunks {
  readonly parts: Uint8Array[] = [];
  size = 0;

  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.push(b);
  }

  u64(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.push(b);
  }

  string(s: string): void {
    const b = utf8.encode(s);
    this.u64(b.length);
    this.push(b);
  }
}

function isRawTensor(v: unknown): v is RawTensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'dtype' in v && 'shape' in v && 'bytes' in v && v.bytes instanceof Uint8Array;
}

/** Checks that a tensor's bytes match its dtype and shape; returns the element count. */
function checkTensor(what: string, t: RawTensor): number {
  const size = dtypeSize[t.dtype];
  if (size === undefined) throw saveError(`${what} has unknown dtype ${String(t.dtype)}`);
  let count = 1;
  for (const n of t.shape) {
    if (!Number.isInteger(n) || n < 0) throw saveError(`${what} has invalid shape [${t.shape.join(', ')}]`);
    count *= n;
  }
  if (t.bytes.length !== count * size) {
    throw saveError(`${what} holds ${t.bytes.length} bytes, but ${t.dtype} [${t.shape.join(', ')}] needs ${count * size}`);
  }
  return count;
}

function writeValue(out: Chunks, key: string, value: GgufValue): void {
  if (typeof value === 'string') {
    out.u32(ValueType.STRING);
    out.string(value);
    return;
  }
  if (Array.isArray(value)) {
    if (!value.every((s) => typeof s === 'string')) throw saveError(`metadata "${key}": a list must hold only strings`);
    out.u32(ValueType.ARRAY);
    out.u32(ValueType.STRING);
    out.u64(value.length);
    for (const s of value) out.string(s);
    return;
  }
  if (!isRawTensor(value)) throw saveError(`Received unexpected type in metadata "${key}"`);
  checkTensor(`metadata "${key}"`, value);
  if (value.shape.length > 1) throw saveError(`Cannot save arrays with more than one dimension (metadata "${key}").`);
  if (value.bytes.length === 0) throw saveError(`Cannot save empty arrays (metadata "${key}").`);
  const type = dtypeValueType.get(value.dtype);
  if (type === undefined) throw saveError(`array type ${value.dtype} not supported for metadata ("${key}").`);
  if (value.shape.length === 1) {
    out.u32(ValueType.ARRAY);
    out.u32(type);
    out.u64(value.shape[0]!);
  } else {
    out.u32(type);
  }
  out.push(value.dtype === 'bool' ? value.bytes.map((b) => (b ? 1 : 0)) : value.bytes);
}

/** The bytes of a GGUF v3 file holding `tensors` (F32, F16, BF16, I8, I16, I32, I64, F64) and `metadata`. */
export function writeGguf(tensors: Array<[string, RawTensor]>, metadata: Record<string, GgufValue>): Uint8Array {
  const alignment = alignmentOf(metadata);
  const pad = (n: number): number => Math.ceil(n / alignment) * alignment;
  const head = new Chunks();
  head.u32(GGUF_MAGIC);
  head.u32(3);
  head.u64(tensors.length);
  const keys = Object.keys(metadata);
  head.u64(keys.length);
  for (const key of keys) {
    head.string(key);
    writeValue(head, key, metadata[key]!);
  }

  const names = new Set<string>();
  let offset = 0;
  const offsets: number[] = [];
  for (const [name, t] of tensors) {
    const what = `tensor "${name}"`;
    if (names.has(name)) throw saveError(`duplicate tensor name "${name}"`);
    names.add(name);
    if (!isRawTensor(t)) throw saveError(`${what} is not a tensor`);
    const type = dtypeTensorType.get(t.dtype);
    if (type === undefined) throw saveError(`dtype ${t.dtype} is not supported (${what})`);
    checkTensor(what, t);
    if (t.shape.length > GGUF_MAX_DIMS) throw saveError(`${what} has ${t.shape.length} dimensions (at most ${GGUF_MAX_DIMS})`);
    head.string(name);
    head.u32(t.shape.length);
    for (let d = t.shape.length - 1; d >= 0; d--) head.u64(t.shape[d]!); // innermost first
    head.u32(type);
    head.u64(offset);
    offsets.push(offset);
    offset = pad(offset + t.bytes.length);
  }

  const dataStart = pad(head.size);
  const file = new Uint8Array(dataStart + offset); // zero-filled: the padding
  let pos = 0;
  for (const part of head.parts) {
    file.set(part, pos);
    pos += part.length;
  }
  tensors.forEach(([, t], i) => file.set(t.bytes, dataStart + offsets[i]!));
  return file;
}

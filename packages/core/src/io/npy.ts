/**
 * The .npy format (NumPy's NEP 1): magic `\x93NUMPY`, version, header length (u16 in v1,
 * u32 in v2/v3), an ASCII (v3: UTF-8) Python dict literal `{'descr': '<f4',
 * 'fortran_order': False, 'shape': (2, 3), }` padded so the data starts 64-byte aligned,
 * then the data. Reading accepts both byte orders and Fortran order (converted to
 * row-major little-endian); writing produces NumPy's own bytes for the same array.
 */
import type { DtypeName } from '../opcodes.js';
import { DTYPE_SIZE, dtypeOfNpyDescr, dtypeWordSize, npyDescr } from './dtype-tables.js';
import type { RawTensor } from './raw-tensor.js';
import { tensorByteSize } from './tensor-size.js';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy aligns the data to 64 bytes and leaves room for the growing axis to reach 21 digits. */
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

/** Reads one .npy file. `bytes` is not kept: the result owns a fresh copy. */
export function readNpy(bytes: Uint8Array, what = '.npy data'): RawTensor {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`[load] ${what} is not a .npy file (bad magic).`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLen: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error(`[load] ${what} is truncated (in the header).`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`[load] Unsupported .npy format version ${major}.`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new Error(`[load] ${what} is truncated (in the header).`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, what);
  const { dtype, bigEndian } = dtypeOfNpyDescr(descr);
  const nbytes = tensorByteSize(shape, dtype, 'load');
  if (dataStart + nbytes > bytes.length) {
    throw new Error(`[load] ${what} is truncated: shape [${shape.join(', ')}] needs ${nbytes} data bytes, the file has ${bytes.length - dataStart}.`);
  }
  let data: Uint8Array = bytes.slice(dataStart, dataStart + nbytes);
  if (bigEndian) swapBytes(data, dtypeWordSize(dtype));
  if (fortranOrder && shape.length > 1) data = fortranToC(data, shape, DTYPE_SIZE[dtype]);
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) data[i] = data[i] === 0 ? 0 : 1;
  return { dtype, shape, bytes: data };
}

/** The three keys of the header dict, each checked. */
function parseHeader(header: string, what: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const bad = (why: string): Error => new Error(`[load] ${what} has a corrupt header (${why}).`);
  const text = header.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw bad('not a dict');
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  if (descr === null) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) throw new Error(`[load] Structured .npy dtypes are not supported.`);
    throw bad("no 'descr'");
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (fortran === null) throw bad("no 'fortran_order'");
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (shapeText === null) throw bad("no 'shape'");
  const parts = shapeText[1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((p) => {
    const m = /^(\d+)L?$/.exec(p);
    if (m === null) throw bad(`shape entry '${p}'`);
    return Number(m[1]);
  });
  return { descr: descr[2]!, fortranOrder: fortran[1] === 'True', shape };
}

/** Reverses the bytes of each `size`-byte element in place. */
function swapBytes(data: Uint8Array, size: number): void {
  for (let i = 0; i < data.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = data[a]!;
      data[a] = data[b]!;
      data[b] = t;
    }
  }
}

/** Column-major elements of `shape` reordered row-major. */
function fortranToC(src: Uint8Array, shape: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(src.length);
  const n = src.length / size;
  const ndim = shape.length;
  // Column-major strides (in elements) of each axis, walked in row-major order.
  const fstride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fstride.push(s);
    s *= d;
  }
  const idx = new Array<number>(ndim).fill(0);
  let from = 0;
  for (let i = 0; i < n; i++) {
    out.set(src.subarray(from * size, from * size + size), i * size);
    for (let ax = ndim - 1; ax >= 0; ax--) {
      idx[ax]!++;
      from += fstride[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      from -= fstride[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
  return out;
}

/** The header dict exactly as NumPy's format.write_array formats it (keys sorted, a trailing ', '). */
function headerText(dtype: DtypeName, shape: readonly number[]): string {
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let text = `{'descr': '${npyDescr(dtype)}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) text += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  return text;
}

/** A .npy file (version 1, or 2 when the header outgrows 64 KiB) holding `t`. */
export function writeNpy(t: RawTensor): Uint8Array {
  const header = new TextEncoder().encode(headerText(t.dtype, t.shape));
  let version = 1;
  let prefix = 10;
  let total = header.length + 1;
  let pad = ARRAY_ALIGN - ((prefix + total) % ARRAY_ALIGN);
  if (total + pad > 0xffff) {
    version = 2;
    prefix = 12;
    pad = ARRAY_ALIGN - ((prefix + total) % ARRAY_ALIGN);
  }
  total += pad;
  const out = new Uint8Array(prefix + total + t.bytes.length);
  out.set(NPY_MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, total, true);
  else view.setUint32(8, total, true);
  out.set(header, prefix);
  out.fill(0x20, prefix + header.length, prefix + header.length + pad);
  out[prefix + total - 1] = 0x0a;
  out.set(t.bytes, prefix + total);
  return out;
}

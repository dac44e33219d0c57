/**
 * How each mlxjs dtype is named in the file formats: NumPy's array-protocol `descr` (.npy,
 * .npz) and safetensors' dtype strings. bfloat16 has no NumPy type; MLX writes it as the
 * 2-byte void `<V2` and reads `V2` back as bfloat16, and so do we.
 */
import type { DtypeName } from '../opcodes.js';

/** Bytes per element, by dtype name. */
export const DTYPE_SIZE: Readonly<Record<DtypeName, number>> = {
  bool: 1, uint8: 1, uint16: 2, uint32: 4, uint64: 8, int8: 1, int16: 2, int32: 4, int64: 8,
  float16: 2, float32: 4, float64: 8, bfloat16: 2, complex64: 8,
};

/** NumPy's type character and size (without the byte-order mark) for each dtype. */
const NPY_KIND: Readonly<Record<DtypeName, string>> = {
  bool: 'b1', uint8: 'u1', uint16: 'u2', uint32: 'u4', uint64: 'u8', int8: 'i1', int16: 'i2',
  int32: 'i4', int64: 'i8', float16: 'f2', float32: 'f4', float64: 'f8', bfloat16: 'V2',
  complex64: 'c8',
};

const FROM_NPY_KIND = new Map<string, DtypeName>(Object.entries(NPY_KIND).map(([d, k]) => [k, d as DtypeName]));

/** The descr NumPy writes for `dtype` on a little-endian machine (`<f4`, `|b1`, `<V2`). */
export function npyDescr(dtype: DtypeName): string {
  return (DTYPE_SIZE[dtype] === 1 ? '|' : '<') + NPY_KIND[dtype];
}

/** What a NumPy descr names: the dtype and whether its bytes are big-endian; throws `[load]` otherwise. */
export function dtypeOfNpyDescr(descr: string): { dtype: DtypeName; bigEndian: boolean } {
  if (/^[<>|=]?O\d*$/.test(descr)) throw new Error(`[load] .npy object arrays (dtype '${descr}') cannot be loaded.`);
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  if (m === null) throw new Error(`[load] Unsupported .npy dtype descr '${descr}'.`);
  const [, order, kind, size] = m;
  if (kind === 'O') throw new Error(`[load] .npy object arrays (dtype '${descr}') cannot be loaded.`);
  if (kind === 'c' && size !== '8') {
    throw new Error(`[load] Complex .npy arrays of dtype '${descr}' are not supported: mlxjs's complex type is complex64 ('<c8').`);
  }
  const dtype = FROM_NPY_KIND.get(kind! + size!);
  if (dtype === undefined) throw new Error(`[load] Unsupported .npy dtype descr '${descr}'.`);
  // '=' is the writer's native order; every writer we meet is little-endian.
  return { dtype, bigEndian: order === '>' && DTYPE_SIZE[dtype] > 1 };
}

/** The size of the numbers a dtype's bytes are made of: a complex64 is two 4-byte floats. */
export function dtypeWordSize(dtype: DtypeName): number {
  return dtype === 'complex64' ? 4 : DTYPE_SIZE[dtype];
}

/** safetensors' dtype names. */
const SAFETENSORS_NAME: Readonly<Record<DtypeName, string>> = {
  bool: 'BOOL', uint8: 'U8', uint16: 'U16', uint32: 'U32', uint64: 'U64', int8: 'I8', int16: 'I16',
  int32: 'I32', int64: 'I64', float16: 'F16', float32: 'F32', float64: 'F64', bfloat16: 'BF16',
  complex64: 'C64',
};

const FROM_SAFETENSORS = new Map<string, DtypeName>(
  Object.entries(SAFETENSORS_NAME).map(([d, n]) => [n, d as DtypeName]),
);

export function safetensorsName(dtype: DtypeName): string {
  return SAFETENSORS_NAME[dtype];
}

/** The dtype of a safetensors dtype string; throws `[load]` for one mlxjs lacks (F8_E4M3, C128, ...). */
export function dtypeOfSafetensorsName(name: unknown): DtypeName {
  const d = typeof name === 'string' ? FROM_SAFETENSORS.get(name) : undefined;
  if (d === undefined) throw new Error(`[load] Unsupported safetensors dtype ${JSON.stringify(name)}.`);
  return d;
}

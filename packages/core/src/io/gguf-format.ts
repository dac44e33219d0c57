/**
 * GGUF format constants (the file layout of llama.cpp/ggml, as the `gguf` reference package
 * and MLX read it): value types of metadata, tensor types with their block geometry, and
 * how each maps to an mlxjs dtype.
 */
import { DTYPE_SIZE } from './dtype-tables.js';
import type { DtypeName } from '../opcodes.js';

/** "GGUF" read as a little-endian uint32. */
export const GGUF_MAGIC = 0x46554747;
/** Alignment of the data section and of every tensor's offset unless `general.alignment` says otherwise. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** gguflib (MLX's GGUF library) holds at most 8 dimensions per tensor; llama.cpp at most 4. */
export const GGUF_MAX_DIMS = 8;

/** Metadata value types (gguf_metadata_value_type). */
export const ValueType = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;

/**
 * The dtype of each numeric/bool metadata value type. MLX returns FLOAT64 metadata as float32;
 * mlxjs has float64 everywhere, so it keeps the stored value exactly.
 */
export const valueTypeDtype: ReadonlyMap<number, DtypeName> = new Map<number, DtypeName>([
  [ValueType.UINT8, 'uint8'], [ValueType.INT8, 'int8'], [ValueType.UINT16, 'uint16'],
  [ValueType.INT16, 'int16'], [ValueType.UINT32, 'uint32'], [ValueType.INT32, 'int32'],
  [ValueType.FLOAT32, 'float32'], [ValueType.BOOL, 'bool'], [ValueType.UINT64, 'uint64'],
  [ValueType.INT64, 'int64'], [ValueType.FLOAT64, 'float64'],
]);

/** The metadata value type written for each dtype (float16/bfloat16 have none, as in MLX). */
export const dtypeValueType: ReadonlyMap<DtypeName, number> = new Map(
  [...valueTypeDtype].map(([type, dtype]) => [dtype, type] as [DtypeName, number]),
);

/** Bytes per element (the one table, shared with .npy/.safetensors). */
export const dtypeSize: Readonly<Record<DtypeName, number>> = DTYPE_SIZE;

/** ggml tensor types by number (gaps are types ggml removed); used to name types in errors. */
const tensorTypeNames: readonly (string | undefined)[] = [
  'F32', 'F16', 'Q4_0', 'Q4_1', undefined, undefined, 'Q5_0', 'Q5_1', 'Q8_0', 'Q8_1', 'Q2_K',
  'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'IQ2_XXS', 'IQ2_XS', 'IQ3_XXS', 'IQ1_S', 'IQ4_NL',
  'IQ3_S', 'IQ2_S', 'IQ4_XS', 'I8', 'I16', 'I32', 'I64', 'F64', 'IQ1_M', 'BF16', 'Q4_0_4_4',
  'Q4_0_4_8', 'Q4_0_8_8', 'TQ1_0', 'TQ2_0', 'IQ4_NL_4_4', 'IQ4_NL_4_8', 'IQ4_NL_8_8', 'MXFP4',
  'NVFP4', 'Q1_0',
];

export function tensorTypeName(type: number): string {
  return tensorTypeNames[type] ?? `unknown type ${type}`;
}

export const TensorType = {
  F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q8_0: 8, Q4_K: 12, I8: 24, I16: 25, I32: 26, I64: 27,
  F64: 28, BF16: 30,
} as const;

/** Tensor types stored element by element in an mlxjs dtype's own layout. */
export const plainTensorDtype: ReadonlyMap<number, DtypeName> = new Map<number, DtypeName>([
  [TensorType.F32, 'float32'], [TensorType.F16, 'float16'], [TensorType.BF16, 'bfloat16'],
  [TensorType.I8, 'int8'], [TensorType.I16, 'int16'], [TensorType.I32, 'int32'],
  [TensorType.I64, 'int64'], [TensorType.F64, 'float64'],
]);

export const dtypeTensorType: ReadonlyMap<DtypeName, number> = new Map(
  [...plainTensorDtype].map(([type, dtype]) => [dtype, type] as [DtypeName, number]),
);

/**
 * Numeric codes of the mlxc C ABI (core-cpp/include/mlxc.h), mirrored for TypeScript.
 * The header is the source of truth; test/opcodes.test.ts checks the dtype codes against
 * the core so the two cannot drift apart silently.
 */

/** mlxc_dtype: dtype codes as the core numbers them. */
export const DtypeCode = {
  bool: 0,
  uint8: 1,
  uint16: 2,
  uint32: 3,
  uint64: 4,
  int8: 5,
  int16: 6,
  int32: 7,
  int64: 8,
  float16: 9,
  float32: 10,
  float64: 11,
  bfloat16: 12,
  complex64: 13,
} as const;
export type DtypeName = keyof typeof DtypeCode;
export type DtypeCode = (typeof DtypeCode)[DtypeName];

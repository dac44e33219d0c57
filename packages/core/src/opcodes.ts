/**
 * Numeric codes of the mlxc C ABI (core-cpp/include/mlxc.h), mirrored for TypeScript.
 * The header is the source of truth; test/opcodes.test.ts checks these tables against the
 * core's own mlxc_*_op_name so the two cannot drift apart silently.
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
} as const;
export type DtypeName = keyof typeof DtypeCode;
export type DtypeCode = (typeof DtypeCode)[DtypeName];

/** mlxc_unary_op. */
export const UnaryOp = { negative: 0, exp: 1, log: 2, tanh: 3 } as const;
export type UnaryOp = (typeof UnaryOp)[keyof typeof UnaryOp];

/** mlxc_binary_op. */
export const BinaryOp = { add: 0, subtract: 1, multiply: 2, divide: 3 } as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/** mlxc_reduce_op. */
export const ReduceOp = { sum: 0, mean: 1, max: 2 } as const;
export type ReduceOp = (typeof ReduceOp)[keyof typeof ReduceOp];

/** The op families of the ABI, each with its own code space and mlxc_<family>_op_name. */
export type OpFamily = 'unary' | 'binary' | 'reduce';

/** Every family's table, so conformance checks can walk them generically. */
export const opTables: Record<OpFamily, Readonly<Record<string, number>>> = {
  unary: UnaryOp,
  binary: BinaryOp,
  reduce: ReduceOp,
};

/**
 * mx.toFp8 / mx.fromFp8: float arrays to and from FP8 e4m3 codes held in uint8 (MLX's
 * to_fp8 / from_fp8; core ops, ops/fp8.cpp). Rounding is to nearest even; magnitudes of 464
 * and more (and NaN) saturate to +-448, as in MLX.
 */
import type { MxArray } from '../array.js';
import { type DtypeLike, toDtype } from '../dtype.js';
import { callOp } from './call.js';
import { isOptions } from './optional-args.js';

/** The e4m3 code (uint8) of each element of a real floating array. */
export function toFp8(x: MxArray): MxArray {
  return callOp('to_fp8', [x]);
}

/** The values, of the real floating `dtype`, of the uint8 e4m3 codes in x. */
export function fromFp8(x: MxArray, dtype: DtypeLike | { dtype: DtypeLike }): MxArray {
  const d = isOptions(dtype) ? (dtype as { dtype: DtypeLike }).dtype : (dtype as DtypeLike);
  return callOp('from_fp8', [x], { dtype: toDtype(d) });
}

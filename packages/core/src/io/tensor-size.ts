import type { DtypeName } from '../opcodes.js';
import { DTYPE_SIZE } from './dtype-tables.js';

/** The core's dims are int32. */
const MAX_DIM = 2 ** 31 - 1;

/**
 * The byte size of a `dtype` tensor of `shape`, after checking that the shape is one the
 * core can hold (non-negative int32 dims); `fn` prefixes the Error ('load', 'save', ...).
 */
export function tensorByteSize(shape: readonly unknown[], dtype: DtypeName, fn: string): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_DIM) {
      throw new Error(`[${fn}] Invalid shape [${shape.map(String).join(', ')}].`);
    }
    n *= d;
  }
  const bytes = n * DTYPE_SIZE[dtype];
  if (!Number.isSafeInteger(bytes)) throw new Error(`[${fn}] Shape [${shape.join(', ')}] is too large.`);
  return bytes;
}

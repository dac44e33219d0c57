import type { DtypeName } from '../opcodes.js';

/** Host bytes of one tensor: row-major, little-endian, `dtype`'s element layout. */
export interface RawTensor { dtype: DtypeName; shape: number[]; bytes: Uint8Array }

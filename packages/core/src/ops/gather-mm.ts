/**
 * The linalg family's matrix-level gathers and masks (core-cpp/src/ops/gather_mm.*):
 * gatherMm, segmentedMm and blockMaskedMm, MLX's gather_mm, segmented_mm and block_masked_mm.
 * The core checks shapes and dtypes; only array-ness and option objects are checked here.
 */
import { MxArray } from '../array.js';
import { describe, type Operand } from '../operands.js';
import { checkOptions } from '../arg-checks.js';
import { callOp } from './call.js';

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};

export interface GatherMmOptions {
  /** Which matrix of a's flattened batch each product uses (default: each in turn). */
  lhsIndices?: MxArray | null;
  /** Which matrix of b's flattened batch each product uses (default: each in turn). */
  rhsIndices?: MxArray | null;
  /** MLX's hint that the one index array given is sorted (results are the same either way). */
  sortedIndices?: boolean;
}

/**
 * Matrix products of gathered operands: `out[q] = a[lhsIndices[q]] @ b[rhsIndices[q]]`, the
 * indices counting matrices over each operand's flattened batch axes and broadcasting
 * together to the output's batch shape. Without indices it is `matmul(a, b)`.
 */
export function gatherMm(a: MxArray, b: MxArray, opts?: GatherMmOptions): MxArray {
  const options = checkOptions<GatherMmOptions>('gather_mm', opts);
  needArray('gather_mm', a, 'a');
  needArray('gather_mm', b, 'b');
  const lhs = options.lhsIndices ?? null;
  const rhs = options.rhsIndices ?? null;
  if (lhs !== null) needArray('gather_mm', lhs, 'lhsIndices');
  if (rhs !== null) needArray('gather_mm', rhs, 'rhsIndices');
  const inputs = [a, b, ...(lhs !== null ? [lhs] : []), ...(rhs !== null ? [rhs] : [])];
  return callOp('gather_mm', inputs, {
    hasLhsIndices: lhs !== null,
    hasRhsIndices: rhs !== null,
    sortedIndices: options.sortedIndices ?? false,
  });
}

/**
 * One product per segment of the inner dimension: a [M, K], b [K, N] and integer segments
 * [..., 2] give [..., M, N] with `out[q] = a[:, s:e] @ b[s:e, :]` for `[s, e] = segments[q]`.
 */
export function segmentedMm(a: MxArray, b: MxArray, segments: Operand): MxArray {
  needArray('segmented_mm', a, 'a');
  needArray('segmented_mm', b, 'b');
  return callOp('segmented_mm', [a, b, segments]);
}

export interface BlockMaskedMmOptions {
  /** The side of the square blocks the masks cover: 32 (default) or 64. */
  blockSize?: number;
  /** [..., ceil(M/bs), ceil(N/bs)]: blocks of the product kept (bool) or scaled (float). */
  maskOut?: MxArray | null;
  /** [..., ceil(M/bs), ceil(K/bs)]: blocks of a kept or scaled. */
  maskLhs?: MxArray | null;
  /** [..., ceil(K/bs), ceil(N/bs)]: blocks of b kept or scaled. */
  maskRhs?: MxArray | null;
}

/** `matmul(a, b)` with block masks on the operands and the output (MLX's block_masked_mm). */
export function blockMaskedMm(a: MxArray, b: MxArray, options: BlockMaskedMmOptions = {}): MxArray {
  needArray('block_masked_mm', a, 'a');
  needArray('block_masked_mm', b, 'b');
  const masks = [options.maskOut ?? null, options.maskLhs ?? null, options.maskRhs ?? null];
  masks.forEach((m, i) => {
    if (m !== null) needArray('block_masked_mm', m, ['maskOut', 'maskLhs', 'maskRhs'][i]!);
  });
  const present = masks.filter((m): m is MxArray => m !== null);
  return callOp('block_masked_mm', [a, b, ...present], {
    blockSize: options.blockSize ?? 32,
    hasMaskOut: masks[0] !== null,
    hasMaskLhs: masks[1] !== null,
    hasMaskRhs: masks[2] !== null,
  });
}

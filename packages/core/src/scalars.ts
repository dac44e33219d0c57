import { bool, Dtype, float32, int32 } from './dtype.js';
import { describeValue } from './arg-checks.js';

/**
 * MLX's weak-scalar rule for JS numbers next to an array: a Python scalar adapts to the
 * array instead of promoting it. JS has one number type, so an integer-valued number plays
 * the role of a Python int and any other number that of a Python float.
 *
 * - array of a float or complex dtype: the scalar takes the array's dtype;
 * - integer array and integer-valued scalar: the array's dtype;
 * - bool array and integer-valued scalar: int32 (bool + 1 counts, as in MLX);
 * - integer or bool array and non-integer scalar: float32;
 * - no array (two JS numbers): float32, MLX's default for Python floats;
 * - booleans are bool arrays and promote normally.
 */
export function weakScalarDtype(value: number | boolean, partner: Dtype | null): Dtype {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`[weakScalarDtype] value must be a number or a boolean, got ${describeValue(value)}.`);
  }
  if (partner !== null && !(partner instanceof Dtype)) {
    throw new Error(`[weakScalarDtype] partner must be a dtype or null, got ${describeValue(partner)}.`);
  }
  if (typeof value === 'boolean') return bool;
  if (partner === null) return float32;
  if (partner.kind === 'float' || partner.kind === 'complex') return partner;
  if (!Number.isInteger(value)) return float32;
  return partner.kind === 'bool' ? int32 : partner;
}

/**
 * The element-wise family: arithmetic, unary math, the division family, power,
 * maximum/minimum, logical and bitwise ops, floating-point predicates, clip and nanToNum,
 * casts (astype, view) and stopGradient, plus the Array methods MLX has for them. JS numbers
 * are accepted wherever MLX takes a scalar (typed by the weak-scalar rule against the array
 * operand).
 */
import { describeValue } from '../arg-checks.js';
import { isOptions } from './optional-args.js';
import { MxArray } from '../array.js';
import { type DtypeLike, toDtype } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe, type Operand, wrap } from '../operands.js';
import { callOp, callOpMulti } from './call.js';
import { notEqual } from './compare.js';

const unary = (name: string) => (a: Operand): MxArray => callOp(name, [a]);
const binary = (name: string) => (a: Operand, b: Operand): MxArray => callOp(name, [a, b]);

// ---- arithmetic ----
/** Element-wise a + b with broadcasting and MLX's type promotion. */
export const add = (a: Operand, b: Operand): MxArray => callOp('add', [a, b]);
/** Element-wise a - b. */
export const subtract = (a: Operand, b: Operand): MxArray => callOp('subtract', [a, b]);
/** Element-wise a * b. */
export const multiply = (a: Operand, b: Operand): MxArray => callOp('multiply', [a, b]);
/** Element-wise a / b (true division: integer inputs give a float result). */
export const divide = (a: Operand, b: Operand): MxArray => callOp('divide', [a, b]);
/** Element-wise -a. */
export const negative = (a: Operand): MxArray => callOp('negative', [a]);
/**
 * Element-wise +a (MLX's positive): the same values and dtype. No graph node: the result
 * shares the input's core array, as `array(x)` does, so gradients pass straight through.
 */
export function positive(a: MxArray): MxArray {
  if (!(a instanceof MxArray)) throw new TypeError(`[positive] Expected an array, got ${describe(a)}.`);
  return wrap(a.backend, a.backend.retain(a.handle));
}
/** Element-wise e^a. */
export const exp = (a: Operand): MxArray => callOp('exp', [a]);
/** Element-wise natural logarithm. */
export const log = (a: Operand): MxArray => callOp('log', [a]);
/** Element-wise hyperbolic tangent. */
export const tanh = (a: Operand): MxArray => callOp('tanh', [a]);

// ---- complex parts ----
/** The real part: float32 for complex64; a real array is returned as it is. */
export const real = (a: Operand): MxArray => callOp('real', [a]);
/** The imaginary part: float32 for complex64; zeros for a real array. */
export const imag = (a: Operand): MxArray => callOp('imag', [a]);
/** The complex conjugate (re - im j); a real array is returned as it is. */
export const conjugate = (a: Operand): MxArray => callOp('conjugate', [a]);
/** Alias of `conjugate`, as MLX's `conj`. */
export const conj = conjugate;

// ---- casts, stopGradient ----
/** Converts to `dtype` (C-style casts: floats truncate toward zero into integers). */
export function astype(x: MxArray, dtype: DtypeLike): MxArray {
  return callOp('astype', [x], { dtype: toDtype(dtype) });
}
/** The same bytes read as `dtype` (no conversion); the last axis scales by the item sizes' ratio. */
export function view(x: MxArray, dtype: DtypeLike): MxArray {
  return callOp('view', [x], { dtype: toDtype(dtype) });
}
/** Identity in value; blocks gradients (its derivative is zero). */
export const stopGradient = (x: Operand): MxArray => callOp('stop_gradient', [x]);

// ---- unary: integer dtypes are kept ----
/** Element-wise absolute value (unsigned and bool: unchanged). */
export const abs = unary('abs');
/** Element-wise sign: -1, 0 or 1 (NaN stays NaN). */
export const sign = unary('sign');
/** Element-wise a * a. */
export const square = unary('square');
/** Element-wise ceiling (integers unchanged). */
export const ceil = unary('ceil');
/** Element-wise floor (integers unchanged). */
export const floor = unary('floor');
/** Element-wise truncation towards zero (integers unchanged). */
export const trunc = unary('trunc');

export interface RoundOptions {
  decimals?: number;
}
/** Rounds half to even, to `decimals` decimal places (default 0); the dtype is kept. */
export function round(a: Operand, decimals: number | RoundOptions = 0): MxArray {
  const d: unknown = isOptions(decimals) ? ((decimals as RoundOptions).decimals ?? 0) : decimals;
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new Error(`[round] decimals must be an integer, got ${describeValue(d)}.`);
  return callOp('round', [a], { decimals: d });
}

// ---- unary: integers and bool compute in float32 ----
/** Element-wise square root. */
export const sqrt = unary('sqrt');
/** Element-wise 1 / sqrt(a). */
export const rsqrt = unary('rsqrt');
/** Element-wise 1 / a. */
export const reciprocal = unary('reciprocal');
/** Element-wise e^a - 1, accurate near 0. */
export const expm1 = unary('expm1');
/** Element-wise base-2 logarithm. */
export const log2 = unary('log2');
/** Element-wise base-10 logarithm. */
export const log10 = unary('log10');
/** Element-wise log(1 + a), accurate near 0. */
export const log1p = unary('log1p');
/** Element-wise sine. */
export const sin = unary('sin');
/** Element-wise cosine. */
export const cos = unary('cos');
/** Element-wise tangent. */
export const tan = unary('tan');
/** Element-wise inverse sine. */
export const arcsin = unary('arcsin');
/** Element-wise inverse cosine. */
export const arccos = unary('arccos');
/** Element-wise inverse tangent. */
export const arctan = unary('arctan');
/** Element-wise hyperbolic sine. */
export const sinh = unary('sinh');
/** Element-wise hyperbolic cosine. */
export const cosh = unary('cosh');
/** Element-wise inverse hyperbolic sine. */
export const arcsinh = unary('arcsinh');
/** Element-wise inverse hyperbolic cosine. */
export const arccosh = unary('arccosh');
/** Element-wise inverse hyperbolic tangent. */
export const arctanh = unary('arctanh');
/** Element-wise logistic sigmoid 1 / (1 + e^-a). */
export const sigmoid = unary('sigmoid');
/** Element-wise error function. */
export const erf = unary('erf');
/** Element-wise inverse of erf (±inf at ±1, NaN outside [-1, 1]). */
export const erfinv = unary('erfinv');
/** Radians to degrees. */
export const degrees = unary('degrees');
/** Degrees to radians. */
export const radians = unary('radians');

// ---- binary ----
/** Element-wise floor(a / b); integers floor like NumPy (-7 // 2 == -4) and x // 0 == 0. */
export const floorDivide = binary('floor_divide');
/** Element-wise remainder with the sign of the divisor (NumPy); integer x % 0 == 0. */
export const remainder = binary('remainder');
/** Element-wise [floorDivide(a, b), remainder(a, b)]. */
export function divmod(a: Operand, b: Operand): [MxArray, MxArray] {
  const [q, r] = callOpMulti('divmod', [a, b]);
  return [q!, r!];
}
/** Element-wise a ** b (integer powers for integer dtypes). */
export const power = binary('power');
/** Element-wise maximum; NaN propagates. */
export const maximum = binary('maximum');
/** Element-wise minimum; NaN propagates. */
export const minimum = binary('minimum');
/** Element-wise log(e^a + e^b), without overflow. */
export const logaddexp = binary('logaddexp');
/** Element-wise arctangent of a / b in the quadrant of (b, a). */
export const arctan2 = binary('arctan2');

// ---- logical ----
/** Element-wise logical not (any dtype; nonzero is true). */
export const logicalNot = unary('logical_not');
/** Element-wise logical and (bool result). */
export const logicalAnd = binary('logical_and');
/** Element-wise logical or (bool result). */
export const logicalOr = binary('logical_or');
/**
 * Element-wise logical exclusive or (bool result; any dtype, nonzero is true): MLX's
 * logical_xor, built as (not a) != (not b) so both sides are bools first.
 */
export function logicalXor(a: Operand, b: Operand): MxArray {
  return tidy(() => notEqual(logicalNot(a), logicalNot(b)));
}
/** True where a is NaN. */
export const isnan = unary('isnan');
/** True where a is +inf or -inf. */
export const isinf = unary('isinf');
/** True where a is neither NaN nor infinite. */
export const isfinite = unary('isfinite');
/** True where a is +inf. */
export const isposinf = unary('isposinf');
/** True where a is -inf. */
export const isneginf = unary('isneginf');

// ---- bitwise (integers and bool) ----
/** Element-wise a & b. */
export const bitwiseAnd = binary('bitwise_and');
/** Element-wise a | b. */
export const bitwiseOr = binary('bitwise_or');
/** Element-wise a ^ b. */
export const bitwiseXor = binary('bitwise_xor');
/** Element-wise ~a (logical not for bool). */
export const bitwiseInvert = unary('bitwise_invert');
/** Element-wise a << b (counts outside [0, bits) give 0). */
export const leftShift = binary('left_shift');
/** Element-wise a >> b, arithmetic for signed types (counts outside [0, bits) give 0 or -1). */
export const rightShift = binary('right_shift');

// ---- clip, nanToNum ----
/** Clips a to [min, max]; either bound may be null/undefined, not both. */
export function clip(a: Operand, min?: Operand | null, max?: Operand | null): MxArray {
  const hasMin = min !== undefined && min !== null;
  const hasMax = max !== undefined && max !== null;
  const operands: Operand[] = [a];
  if (hasMin) operands.push(min);
  if (hasMax) operands.push(max);
  return callOp('clip', operands, { hasMin, hasMax });
}

export interface NanToNumOptions {
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}
/** Replaces NaN by `nan` (0) and ±inf by `posinf`/`neginf` (default: the dtype's max/lowest). */
export function nanToNum(
  a: Operand,
  nan: number | NanToNumOptions = 0,
  posinf?: number | null,
  neginf?: number | null,
): MxArray {
  let o: NanToNumOptions;
  if (typeof nan === 'object' && nan !== null) o = nan;
  else o = { nan, posinf, neginf };
  return callOp('nan_to_num', [a], { nan: o.nan ?? 0, posinf: o.posinf, neginf: o.neginf });
}

// ---- Array methods (MLX's named methods and its operator equivalents) ----
declare module '../array.js' {
  interface MxArray {
    add(other: Operand): MxArray;
    subtract(other: Operand): MxArray;
    multiply(other: Operand): MxArray;
    divide(other: Operand): MxArray;
    negative(): MxArray;
    exp(): MxArray;
    log(): MxArray;
    tanh(): MxArray;
    astype(dtype: DtypeLike): MxArray;
    view(dtype: DtypeLike): MxArray;
    abs(): MxArray;
    square(): MxArray;
    sqrt(): MxArray;
    rsqrt(): MxArray;
    reciprocal(): MxArray;
    log2(): MxArray;
    log10(): MxArray;
    log1p(): MxArray;
    sin(): MxArray;
    cos(): MxArray;
    round(decimals?: number | RoundOptions): MxArray;
    /** `a // b` */
    floorDivide(other: Operand): MxArray;
    /** `a % b` */
    remainder(other: Operand): MxArray;
    /** `a ** b` */
    power(other: Operand): MxArray;
    /** `a & b` */
    bitwiseAnd(other: Operand): MxArray;
    /** `a | b` */
    bitwiseOr(other: Operand): MxArray;
    /** `a ^ b` */
    bitwiseXor(other: Operand): MxArray;
    /** `~a` */
    bitwiseInvert(): MxArray;
    /** `a << b` */
    leftShift(other: Operand): MxArray;
    /** `a >> b` */
    rightShift(other: Operand): MxArray;
  }
}

const proto = MxArray.prototype;
proto.add = function (other) { return add(this, other); };
proto.subtract = function (other) { return subtract(this, other); };
proto.multiply = function (other) { return multiply(this, other); };
proto.divide = function (other) { return divide(this, other); };
proto.negative = function () { return negative(this); };
proto.exp = function () { return exp(this); };
proto.log = function () { return log(this); };
proto.tanh = function () { return tanh(this); };
proto.astype = function (dtype) { return astype(this, dtype); };
proto.view = function (dtype) { return view(this, dtype); };
proto.abs = function () { return abs(this); };
proto.square = function () { return square(this); };
proto.sqrt = function () { return sqrt(this); };
proto.rsqrt = function () { return rsqrt(this); };
proto.reciprocal = function () { return reciprocal(this); };
proto.log2 = function () { return log2(this); };
proto.log10 = function () { return log10(this); };
proto.log1p = function () { return log1p(this); };
proto.sin = function () { return sin(this); };
proto.cos = function () { return cos(this); };
proto.round = function (decimals) { return round(this, decimals); };
proto.floorDivide = function (other) { return floorDivide(this, other); };
proto.remainder = function (other) { return remainder(this, other); };
proto.power = function (other) { return power(this, other); };
proto.bitwiseAnd = function (other) { return bitwiseAnd(this, other); };
proto.bitwiseOr = function (other) { return bitwiseOr(this, other); };
proto.bitwiseXor = function (other) { return bitwiseXor(this, other); };
proto.bitwiseInvert = function () { return bitwiseInvert(this); };
proto.leftShift = function (other) { return leftShift(this, other); };
proto.rightShift = function (other) { return rightShift(this, other); };

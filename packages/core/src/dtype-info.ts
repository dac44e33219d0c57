/**
 * MLX's dtype utilities: resultType and canCast (MLX's promotion table, the same one as the
 * core's core-cpp/src/dtype.cpp; test/dtype-utils.test.ts checks the two agree), isdtype
 * (the Array API kinds) and the finfo / iinfo limits.
 */
import { MxArray } from './array.js';
import {
  bfloat16, bool, complex64, Dtype, type DtypeLike, float16, float32, float64, int16, int32, int64, int8,
  toDtype, uint16, uint32, uint64, uint8,
} from './dtype.js';
import { describe } from './operands.js';

// Rows and columns in dtype-code order: bool u8 u16 u32 u64 i8 i16 i32 i64 f16 f32 f64 bf16.
const b_ = bool, u8 = uint8, u16 = uint16, u32 = uint32, u64 = uint64, i8 = int8, i16 = int16, i32 = int32,
  i64 = int64, f16 = float16, f32 = float32, f64 = float64, bf = bfloat16, c64 = complex64;
const PROMOTION: readonly (readonly Dtype[])[] = [
  [b_, u8, u16, u32, u64, i8, i16, i32, i64, f16, f32, f64, bf, c64],
  [u8, u8, u16, u32, u64, i16, i16, i32, i64, f16, f32, f64, bf, c64],
  [u16, u16, u16, u32, u64, i32, i32, i32, i64, f16, f32, f64, bf, c64],
  [u32, u32, u32, u32, u64, i64, i64, i64, i64, f16, f32, f64, bf, c64],
  [u64, u64, u64, u64, u64, f32, f32, f32, f32, f16, f32, f64, bf, c64],
  [i8, i16, i32, i64, f32, i8, i16, i32, i64, f16, f32, f64, bf, c64],
  [i16, i16, i32, i64, f32, i16, i16, i32, i64, f16, f32, f64, bf, c64],
  [i32, i32, i32, i64, f32, i32, i32, i32, i64, f16, f32, f64, bf, c64],
  [i64, i64, i64, i64, f32, i64, i64, i64, i64, f16, f32, f64, bf, c64],
  [f16, f16, f16, f16, f16, f16, f16, f16, f16, f16, f32, f64, f32, c64],
  [f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f64, f32, c64],
  [f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, c64],
  [bf, bf, bf, bf, bf, bf, bf, bf, bf, f32, f32, f64, bf, c64],
  [c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64],
];

/** The dtype two dtypes promote to (MLX's promote_types). */
export function promoteTypes(a: DtypeLike, b: DtypeLike): Dtype {
  const x = toDtype(a);
  const y = toDtype(b);
  return PROMOTION[x.code]![y.code]!;
}

const dtypeOf = (op: string, x: unknown): Dtype => {
  if (x instanceof MxArray) return x.dtype;
  if (x instanceof Dtype) return x;
  if (typeof x === 'string') {
    try {
      return toDtype(x as DtypeLike);
    } catch {
      // fall through to the op's own error
    }
  }
  throw new TypeError(`[${op}] Expected an array or a dtype, got ${describe(x)}.`);
};

/** The dtype that MLX's type promotion gives for the arrays' dtypes and the dtypes together. */
export function resultType(...arraysAndDtypes: (MxArray | DtypeLike)[]): Dtype {
  if (arraysAndDtypes.length === 0) throw new Error('[result_type] At least one array or dtype is required.');
  return arraysAndDtypes.map((x) => dtypeOf('result_type', x)).reduce((acc, d) => PROMOTION[acc.code]![d.code]!);
}

/** True when `from` (a dtype or an array's dtype) promotes with `to` to `to` (MLX's can_cast). */
export function canCast(from: MxArray | DtypeLike, to: DtypeLike): boolean {
  const f = dtypeOf('can_cast', from);
  const t = dtypeOf('can_cast', to);
  return PROMOTION[f.code]![t.code] === t;
}

/** The Array API kind names isdtype accepts. */
export type DtypeKindName =
  | 'bool' | 'signed integer' | 'unsigned integer' | 'integral' | 'real floating' | 'complex floating' | 'numeric';

const KINDS: Record<DtypeKindName, (d: Dtype) => boolean> = {
  bool: (d) => d.kind === 'bool',
  'signed integer': (d) => d.kind === 'signed',
  'unsigned integer': (d) => d.kind === 'unsigned',
  integral: (d) => d.kind === 'signed' || d.kind === 'unsigned',
  'real floating': (d) => d.kind === 'float',
  // No complex dtype in mlxjs yet: nothing is complex floating.
  'complex floating': () => false,
  numeric: (d) => d.kind !== 'bool',
};

/**
 * Whether `dtype` is of `kind`: a dtype (equality), one of the Array API kind names, or a
 * list of these (any of them), as MLX's isdtype.
 */
export function isdtype(dtype: DtypeLike, kind: Dtype | DtypeKindName | readonly (Dtype | DtypeKindName)[]): boolean {
  const d = dtypeOf('isdtype', dtype);
  const one = (k: Dtype | DtypeKindName): boolean => {
    if (k instanceof Dtype) return k === d;
    if (typeof k === 'string' && Object.prototype.hasOwnProperty.call(KINDS, k)) return KINDS[k](d);
    throw new Error(`[isdtype] Unknown kind ${typeof k === 'string' ? JSON.stringify(k) : describe(k)}: expected a dtype or one of ${Object.keys(KINDS).map((s) => `'${s}'`).join(', ')}.`);
  };
  return Array.isArray(kind) ? (kind as readonly (Dtype | DtypeKindName)[]).some(one) : one(kind as Dtype | DtypeKindName);
}

/** The limits of a floating-point dtype (MLX's finfo: dtype, min, max, eps; plus tiny). */
export class finfo {
  readonly dtype: Dtype;
  /** The smallest (most negative) finite value: -max. */
  readonly min: number;
  /** The largest finite value. */
  readonly max: number;
  /** The difference between 1 and the next representable value above 1. */
  readonly eps: number;
  /** The smallest positive normal value (NumPy's tiny / smallest_normal; not in MLX's finfo). */
  readonly tiny: number;

  constructor(dtype: DtypeLike | MxArray) {
    const d = dtypeOf('finfo', dtype);
    // [significand bits after the point, largest exponent, smallest normal exponent]
    const layout: Record<string, [number, number, number]> = {
      float16: [10, 15, -14],
      bfloat16: [7, 127, -126],
      float32: [23, 127, -126],
      float64: [52, 1023, -1022],
    };
    const l = layout[d.name];
    if (l === undefined) throw new Error(`[finfo] dtype ${d.name} is not inexact.`);
    const [bits, emax, emin] = l;
    this.dtype = d;
    this.eps = 2 ** -bits;
    // (2 - 2^-bits) * 2^emax, computed so that float64's max does not overflow on the way.
    this.max = (2 - 2 ** -bits) * 2 ** (emax - 1) * 2;
    this.min = -this.max;
    this.tiny = 2 ** emin;
  }

  toString(): string {
    return `finfo(min=${this.min}, max=${this.max}, eps=${this.eps}, dtype=${this.dtype.name})`;
  }
}

/**
 * The limits of an integer dtype (MLX's iinfo: dtype, min, max). min and max are numbers
 * up to 32 bits and bigints for int64 / uint64 (whose limits a JS number cannot hold).
 */
export class iinfo {
  readonly dtype: Dtype;
  readonly min: number | bigint;
  readonly max: number | bigint;

  constructor(dtype: DtypeLike | MxArray) {
    const d = dtypeOf('iinfo', dtype);
    if (d.kind !== 'signed' && d.kind !== 'unsigned') throw new Error(`[iinfo] dtype ${d.name} is not integral.`);
    const bits = d.size * 8;
    this.dtype = d;
    if (bits === 64) {
      this.min = d.kind === 'signed' ? -(2n ** 63n) : 0n;
      this.max = d.kind === 'signed' ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    } else {
      this.min = d.kind === 'signed' ? -(2 ** (bits - 1)) : 0;
      this.max = d.kind === 'signed' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    }
  }

  toString(): string {
    return `iinfo(min=${this.min}, max=${this.max}, dtype=${this.dtype.name})`;
  }
}

import { describeValue } from './arg-checks.js';
import { DtypeCode, type DtypeName } from './opcodes.js';

/** The broad category of a dtype, used by promotion and the weak-scalar rule. */
export type DtypeKind = 'bool' | 'unsigned' | 'signed' | 'float' | 'complex';

/** An element type. Instances are singletons (`mx.float32`), so `===` compares them. */
export class Dtype {
  private constructor(
    /** MLX's name: `String(mx.float32) === 'float32'`. */
    readonly name: DtypeName,
    /** The mlxc dtype code. */
    readonly code: DtypeCode,
    /** Bytes per element. */
    readonly size: number,
    readonly kind: DtypeKind,
  ) {}

  toString(): string {
    return this.name;
  }

  /** @internal Builds the fixed set below; users get dtypes from the exported constants. */
  static _make(name: DtypeName, size: number, kind: DtypeKind): Dtype {
    return new Dtype(name, DtypeCode[name], size, kind);
  }
}

export const bool = Dtype._make('bool', 1, 'bool');
export const uint8 = Dtype._make('uint8', 1, 'unsigned');
export const uint16 = Dtype._make('uint16', 2, 'unsigned');
export const uint32 = Dtype._make('uint32', 4, 'unsigned');
export const uint64 = Dtype._make('uint64', 8, 'unsigned');
export const int8 = Dtype._make('int8', 1, 'signed');
export const int16 = Dtype._make('int16', 2, 'signed');
export const int32 = Dtype._make('int32', 4, 'signed');
export const int64 = Dtype._make('int64', 8, 'signed');
export const float16 = Dtype._make('float16', 2, 'float');
export const float32 = Dtype._make('float32', 4, 'float');
export const float64 = Dtype._make('float64', 8, 'float');
export const bfloat16 = Dtype._make('bfloat16', 2, 'float');
/** Two float32s per element, real then imaginary (interleaved). */
export const complex64 = Dtype._make('complex64', 8, 'complex');

/** All dtypes, indexed by their mlxc code. */
export const dtypes: readonly Dtype[] = [
  bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64,
  bfloat16, complex64,
];

const byName = new Map<string, Dtype>(dtypes.map((d) => [d.name, d]));

/** The dtype with an mlxc code (what the backend reports). */
export function dtypeFromCode(code: number): Dtype {
  const d = dtypes[code];
  if (d === undefined) throw new Error(`[dtype] Unknown dtype code ${describeValue(code)}.`);
  return d;
}

/** Accepts a Dtype or its name ('float32'), so options can be written either way. */
export type DtypeLike = Dtype | DtypeName;

export function toDtype(d: DtypeLike): Dtype {
  if (d instanceof Dtype) return d;
  const found = byName.get(d);
  if (found === undefined) throw new Error(`[dtype] Unknown dtype ${describeValue(d)}.`);
  return found;
}

/** The kind of a dtype argument; anything else is an "[op] ..." error. */
const kindOf = (op: string, d: unknown): Dtype['kind'] => {
  if (d instanceof Dtype) return d.kind;
  throw new Error(`[${op}] Expected a dtype, got ${describeValue(d)}.`);
};
export const isFloating = (d: Dtype): boolean => kindOf('isFloating', d) === 'float';
export const isInteger = (d: Dtype): boolean => kindOf('isInteger', d) === 'signed' || d.kind === 'unsigned';
export const isSignedInteger = (d: Dtype): boolean => kindOf('isSignedInteger', d) === 'signed';
export const isUnsignedInteger = (d: Dtype): boolean => kindOf('isUnsignedInteger', d) === 'unsigned';
export const isBool = (d: Dtype): boolean => kindOf('isBool', d) === 'bool';
export const isComplex = (d: Dtype): boolean => kindOf('isComplex', d) === 'complex';

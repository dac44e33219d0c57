/**
 * MLX's dtype categories (mx.generic, mx.number, mx.integer, ...) and mx.issubdtype: the
 * NumPy-style hierarchy generic > number > {integer > {signedinteger, unsignedinteger},
 * inexact > {floating, complexfloating}}; bool is a generic only.
 */
import { MxArray } from './array.js';
import { Dtype } from './dtype.js';

export class DtypeCategory {
  private constructor(
    /** MLX's name: `String(mx.floating) === 'floating'`. */
    readonly name: string,
    readonly parent: DtypeCategory | null,
  ) {}

  toString(): string {
    return this.name;
  }

  /** @internal */
  static _make(name: string, parent: DtypeCategory | null): DtypeCategory {
    return new DtypeCategory(name, parent);
  }
}

export const generic = DtypeCategory._make('generic', null);
export const number = DtypeCategory._make('number', generic);
export const integer = DtypeCategory._make('integer', number);
export const signedinteger = DtypeCategory._make('signedinteger', integer);
export const unsignedinteger = DtypeCategory._make('unsignedinteger', integer);
export const inexact = DtypeCategory._make('inexact', number);
export const floating = DtypeCategory._make('floating', inexact);
export const complexfloating = DtypeCategory._make('complexfloating', inexact);

/** The innermost category of a dtype. */
function categoryOf(d: Dtype): DtypeCategory {
  switch (d.kind) {
    case 'bool': return generic;
    case 'signed': return signedinteger;
    case 'unsigned': return unsignedinteger;
    case 'complex': return complexfloating;
    default: return floating;
  }
}

const within = (c: DtypeCategory, ancestor: DtypeCategory): boolean => {
  for (let p: DtypeCategory | null = c; p !== null; p = p.parent) if (p === ancestor) return true;
  return false;
};

/**
 * True when `a` (a dtype, an array's dtype, or a category) is `b` or falls under the
 * category `b`: `issubdtype(mx.float16, mx.floating)`, `issubdtype(mx.integer, mx.number)`.
 * A category is never a sub-dtype of a dtype.
 */
export function issubdtype(a: Dtype | DtypeCategory | MxArray, b: Dtype | DtypeCategory): boolean {
  const x = a instanceof MxArray ? a.dtype : a;
  if (!(x instanceof Dtype || x instanceof DtypeCategory) || !(b instanceof Dtype || b instanceof DtypeCategory)) {
    throw new TypeError('[issubdtype] Expected dtypes or dtype categories.');
  }
  if (b instanceof Dtype) return x === b;
  return within(x instanceof Dtype ? categoryOf(x) : x, b);
}

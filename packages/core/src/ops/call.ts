/**
 * Calls core ops with NAMED parameters. Each op's parameters are defined once, by the
 * schema beside its registration in core-cpp/src/c_api/ops_<family>.cpp (mlxc_op_schema:
 * "axes:int[]? keepdims:bool"); this module fetches it once per op and backend, checks the
 * named arguments against it (names, kinds, enum names) and encodes them into the int32 /
 * double buffers mlxc_op takes. A call site that does not match its op's schema throws
 * "[op] ..." instead of sending the core misordered numbers.
 */
import type { MxArray } from '../array.js';
import type { Backend, Handle } from '../backend.js';
import type { Dtype } from '../dtype.js';
import { checkInt, checkInts, describeValue, isSizeName } from '../arg-checks.js';
import { type Operand, withHandles, wrap } from '../operands.js';

/** A named argument: int, real (number), bool, int[] (number list), dtype, enum (name). */
export type ParamValue = number | boolean | string | readonly number[] | Dtype | null | undefined;
/** Named arguments in camelCase (the schema's snake_case names converted). */
export type OpParams = Readonly<Record<string, ParamValue>>;

const enum Kind {
  Int,
  Bool,
  Dtype,
  Real,
  Ints,
  Enum,
}

interface Param {
  readonly name: string; // camelCase
  readonly kind: Kind;
  readonly optional: boolean;
  readonly choices: readonly string[];
  readonly text: string; // as the schema writes it, for messages
}

const KINDS: Record<string, Kind> = { int: Kind.Int, bool: Kind.Bool, dtype: Kind.Dtype, real: Kind.Real, 'int[]': Kind.Ints };

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Parses a schema text (see mlxc_op_schema in mlxc.h). */
export function parseSchema(op: string, text: string): Param[] {
  return text
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => {
      const m = /^([a-z0-9_]+):(int|bool|dtype|real|int\[\]|enum\(([^)]*)\))(\?)?$/.exec(t);
      if (!m) throw new Error(`[${op}] Cannot read the core's parameter schema '${t}'.`);
      const choices = m[3] !== undefined ? m[3].split('|') : [];
      return { name: camel(m[1]!), kind: m[3] !== undefined ? Kind.Enum : KINDS[m[2]!]!, optional: m[4] === '?', choices, text: t };
    });
}

/** Schemas by op name for the backend last asked (almost always the only one). */
let lastBackend: Backend | null = null;
let lastSchemas = new Map<string, Param[]>();
const schemasByBackend = new WeakMap<Backend, Map<string, Param[]>>();

function schemaOf(backend: Backend, op: string): Param[] {
  if (backend !== lastBackend) {
    let m = schemasByBackend.get(backend);
    if (m === undefined) schemasByBackend.set(backend, (m = new Map()));
    lastBackend = backend;
    lastSchemas = m;
  }
  let s = lastSchemas.get(op);
  if (s === undefined) {
    s = parseSchema(op, backend.opSchema(op));
    lastSchemas.set(op, s);
  }
  return s;
}

const NONE: readonly number[] = [];
const NO_PARAMS: [readonly number[], readonly number[]] = [NONE, NONE];

const isInt32 = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v;

function bad(op: string, p: Param, v: unknown): Error {
  const expected =
    p.kind === Kind.Enum ? `one of ${p.choices.map((c) => `'${c}'`).join(', ')}` : p.text.replace(/^[^:]*:/, '').replace(/\?$/, '');
  // A string shows as itself (an enum name misspelled), cut short; anything else described safely.
  const got = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v) : describeValue(v);
  return new Error(`[${op}] Parameter '${p.name}' must be ${expected}, got ${got}.`);
}

/**
 * Encodes `params` by op `op`'s schema on `backend`: [ints, reals] for Backend.op. Throws
 * "[name] ..." (`name`: the public function, `op` by default) for a missing, unknown or
 * mistyped parameter, and for an integer that is not finite, not whole or beyond int32
 * (arg-checks.ts: it would otherwise wrap on the way into the core).
 */
export function encodeParams(
  backend: Backend,
  op: string,
  params?: OpParams,
  name: string = op,
): [readonly number[], readonly number[]] {
  const schema = schemaOf(backend, op);
  if (schema.length === 0 && params === undefined) return NO_PARAMS;
  const ints: number[] = [];
  let reals: number[] | null = null;
  let given = 0;
  for (let i = 0; i < schema.length; i++) {
    const p = schema[i]!;
    const v = params === undefined ? undefined : params[p.name];
    if (v === undefined || v === null) {
      if (!p.optional) throw new Error(`[${name}] Missing parameter '${p.name}' (${p.text}).`);
      ints.push(0);
      continue;
    }
    given++;
    if (p.optional) ints.push(1);
    switch (p.kind) {
      case Kind.Int:
        ints.push(checkInt(name, p.name, v, isSizeName(p.name)));
        break;
      case Kind.Bool:
        if (typeof v !== 'boolean') throw bad(name, p, v);
        ints.push(v ? 1 : 0);
        break;
      case Kind.Dtype: {
        const code = typeof v === 'object' ? (v as { code?: unknown }).code : undefined;
        if (!isInt32(code)) throw bad(name, p, v);
        ints.push(code);
        break;
      }
      case Kind.Real:
        if (typeof v !== 'number') throw bad(name, p, v);
        (reals ??= []).push(v);
        break;
      case Kind.Ints: {
        const list = checkInts(name, p.name, v, isSizeName(p.name));
        ints.push(list.length);
        for (let j = 0; j < list.length; j++) ints.push(list[j]!);
        break;
      }
      case Kind.Enum: {
        const code = typeof v === 'string' ? p.choices.indexOf(v) : -1;
        if (code < 0) throw bad(name, p, v);
        ints.push(code);
        break;
      }
    }
  }
  if (params !== undefined) {
    let n = 0;
    for (const k in params) if (params[k] !== undefined && params[k] !== null) n++;
    if (n !== given) {
      const unknown = Object.keys(params).find((k) => params[k] != null && !schema.some((p) => p.name === k));
      throw new Error(
        `[${name}] Unknown parameter '${unknown}' (the op takes ${schema.map((p) => p.text).join(' ') || 'none'}).`,
      );
    }
  }
  return [ints, reals ?? NONE];
}

/** Runs op `op` on handles on `backend` with named parameters; returns every output. */
export function runOp(backend: Backend, op: string, handles: readonly Handle[], params?: OpParams, name: string = op): Handle[] {
  const [ints, reals] = encodeParams(backend, op, params, name);
  return backend.op(op, handles, ints, reals);
}

/** runOp for the ops with exactly one output. */
export function runOp1(backend: Backend, op: string, handles: readonly Handle[], params?: OpParams, name: string = op): Handle {
  const [ints, reals] = encodeParams(backend, op, params, name);
  return backend.op1(op, handles, ints, reals);
}

/**
 * Runs op `op` with one output on `operands` (arrays, or JS scalars typed by the weak-scalar
 * rule) and named parameters. `name` is the op named in errors about the operands.
 */
export const callOp = (op: string, operands: readonly Operand[], params?: OpParams, name: string = op): MxArray =>
  withHandles(name, operands, (backend, handles) => wrap(backend, runOp1(backend, op, handles, params, name)));

/** callOp for ops with several outputs. */
export const callOpMulti = (op: string, operands: readonly Operand[], params?: OpParams, name: string = op): MxArray[] =>
  withHandles(name, operands, (backend, handles) => runOp(backend, op, handles, params, name).map((h) => wrap(backend, h)));

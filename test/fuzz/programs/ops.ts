// The ops random programs are made of. Each op says how to pick its parameters for given
// operands, what shape and dtype MLX gives (null: the combination is not generated), how the
// float64 reference computes it, and how it is written as mlxjs code (the code is what runs:
// test/fuzz/programs/run.ts compiles it, so the reproducer printed for a mismatch is exactly
// the program that mismatched).
import {
  broadcastData, broadcastShapes, convert, type Dt, forEachIndex, isFloat, isInt, offsetOf, promote,
  promoteScalar, round, sizeOf, stridesOf, type Tensor, toFloating,
} from './tensor.js';
import { erf, lines, matmulRef, normAxis, reduceGroups, reducedShape } from './reference-kernels.js';

export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

export type Params = Record<string, unknown>;

/** An operand as an op sees it when choosing parameters and inferring its result: shape and dtype. */
export interface Operand {
  shape: number[];
  dtype: Dt;
}

export interface OpSpec {
  name: string;
  /** Number of array operands (binary ops may replace the second by a JS number: params.scalar). */
  arity: number;
  /** Whether the result jumps with tiny input changes (needs exact operands; no gradient). */
  discontinuous?: boolean;
  /** Whether the result is bit-exact on every correct backend when the operands are. */
  exact?: boolean;
  /** Smooth enough for finite differences (the gradient fuzzer uses only these). */
  smooth?: boolean;
  /** Rounding steps behind one output element, in ulps of its dtype (for the tolerance). */
  cost: (p: Params, args: Operand[]) => number;
  /** Picks parameters for these operands, or null when the op does not apply. */
  params: (r: Rand, args: Operand[]) => Params | null;
  /** MLX's result shape and dtype, or null when MLX would refuse (not generated). */
  infer: (args: Operand[], p: Params) => Operand | null;
  /** The reference: float64 data of the result (rounded to its dtype unless `exact`). */
  ref: (args: Tensor[], p: Params, out: Operand, exact: boolean) => Float64Array;
  /** Operand values the op is not generated for (an integer divisor of 0). */
  valid?: (args: Tensor[], p: Params) => boolean;
  /** The call as mlxjs code over the operands' names. */
  code: (names: string[], p: Params) => string;
}

const J = (v: unknown): string => JSON.stringify(v);
const one = (): number => 1;

/** The operand converted to dtype `to` (MLX casts operands to the promoted dtype first). */
function cast(t: Tensor, to: Dt, exact: boolean): Float64Array {
  if (t.dtype === to) return t.data;
  return t.data.map((v) => convert(t.dtype, to, v, exact));
}

/** Axes for a reduction: null (all) or a random non-empty subset, sometimes negative. */
function randomAxes(r: Rand, ndim: number): number[] | null {
  if (ndim === 0 || r() < 0.25) return null;
  const axes = Array.from({ length: ndim }, (_, k) => k).filter(() => r() < 0.5);
  if (axes.length === 0) axes.push(int(r, 0, ndim - 1));
  return axes.map((a) => (r() < 0.3 ? a - ndim : a));
}

// ---- element-wise, one operand ----

interface UnaryDef {
  f: (x: number) => number;
  /** Result dtype (null: not generated for this dtype). */
  dtype: (d: Dt) => Dt | null;
  smooth?: boolean;
  discontinuous?: boolean;
  exact?: boolean;
  cost?: number;
}

function unary(name: string, d: UnaryDef): OpSpec {
  return {
    name,
    arity: 1,
    smooth: d.smooth,
    discontinuous: d.discontinuous,
    exact: d.exact,
    cost: () => d.cost ?? 1,
    params: () => ({}),
    infer: ([a]) => {
      const dt = d.dtype(a!.dtype);
      return dt === null ? null : { shape: a!.shape, dtype: dt };
    },
    ref: ([a], _p, out, exact) => {
      const x = cast(a!, out.dtype, exact);
      return x.map((v) => round(out.dtype, d.f(v), exact));
    },
    code: ([a]) => `mx.${name}(${a})`,
  };
}

const floatMath = (d: Dt): Dt => toFloating(d);
const notBool = (d: Dt): Dt | null => (d === 'bool' ? null : d);
const floatOnly = (d: Dt): Dt | null => (isFloat(d) ? d : null);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

const UNARY: OpSpec[] = [
  unary('negative', { f: (x) => -x, dtype: notBool, smooth: true, exact: true }),
  unary('abs', { f: Math.abs, dtype: notBool, smooth: true, exact: true }),
  unary('square', { f: (x) => x * x, dtype: notBool, smooth: true, exact: true }),
  unary('exp', { f: Math.exp, dtype: floatMath, smooth: true, cost: 4 }),
  unary('log', { f: Math.log, dtype: floatMath, smooth: true, cost: 4 }),
  unary('sqrt', { f: Math.sqrt, dtype: floatMath, smooth: true, cost: 2 }),
  unary('rsqrt', { f: (x) => 1 / Math.sqrt(x), dtype: floatMath, smooth: true, cost: 4 }),
  unary('reciprocal', { f: (x) => 1 / x, dtype: floatMath, smooth: true, cost: 2 }),
  unary('sin', { f: Math.sin, dtype: floatMath, smooth: true, cost: 4 }),
  unary('cos', { f: Math.cos, dtype: floatMath, smooth: true, cost: 4 }),
  unary('tanh', { f: Math.tanh, dtype: floatMath, smooth: true, cost: 4 }),
  unary('sigmoid', { f: sigmoid, dtype: floatMath, smooth: true, cost: 4 }),
  unary('expm1', { f: Math.expm1, dtype: floatMath, smooth: true, cost: 4 }),
  unary('log1p', { f: Math.log1p, dtype: floatMath, smooth: true, cost: 4 }),
  unary('arctan', { f: Math.atan, dtype: floatMath, smooth: true, cost: 4 }),
  unary('erf', { f: erf, dtype: floatMath, smooth: true, cost: 4 }),
  unary('floor', { f: Math.floor, dtype: floatOnly, discontinuous: true, exact: true }),
  unary('ceil', { f: Math.ceil, dtype: floatOnly, discontinuous: true, exact: true }),
  // MLX rounds half to even.
  unary('round', { f: (x) => { const f = Math.floor(x); const d = x - f; const y = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1; return y === 0 && x < 0 ? -0 : y; }, dtype: floatOnly, discontinuous: true, exact: true }),
  // (x > 0) - (x < 0), so sign(-0) is +0.
  unary('sign', { f: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), dtype: notBool, discontinuous: true, exact: true }),
  unary('logicalNot', { f: (x) => (x === 0 ? 1 : 0), dtype: () => 'bool', discontinuous: true, exact: true }),
];

// ---- element-wise, two operands (the second may be a weak JS number) ----

interface BinaryDef {
  /** The float computation (operands already in the compute dtype). */
  f: (x: number, y: number) => number;
  /** Integer computation when it differs from f followed by wrapping. */
  fi?: (x: number, y: number, d: Dt) => number;
  /** Result dtype from the promoted operand dtype (null: not generated). */
  dtype: (d: Dt) => Dt | null;
  /** Compute dtype from the promoted one (comparisons compare in the promoted dtype). */
  compute?: (d: Dt) => Dt;
  smooth?: boolean;
  discontinuous?: boolean;
  exact?: boolean;
  cost?: number;
  /** Scalars this op may take as its second operand (per promoted-dtype kind). */
  scalars?: boolean;
}

const SCALARS_INT = [0, 1, 2, 3, -1, -2];
const SCALARS_FLOAT = [0.5, -1.5, 2.25, 0.125, -0.75];

function binary(name: string, d: BinaryDef): OpSpec {
  const resolve = (args: Operand[], p: Params): { pd: Dt; out: Dt } | null => {
    const pd = p['scalar'] === undefined ? promote(args[0]!.dtype, args[1]!.dtype) : promoteScalar(args[0]!.dtype, p['scalar'] as number);
    if (pd === null) return null;
    const out = d.dtype(pd);
    return out === null ? null : { pd, out };
  };
  return {
    name,
    arity: 2,
    smooth: d.smooth,
    discontinuous: d.discontinuous,
    exact: d.exact,
    cost: () => d.cost ?? 1,
    params: (r, args) => {
      if (args.length === 1) {
        if (d.scalars === false) return null;
        const a = args[0]!;
        const s = isFloat(a.dtype) || r() < 0.3 ? pick(r, SCALARS_FLOAT) : pick(r, a.dtype === 'uint8' ? [0, 1, 2, 3] : SCALARS_INT);
        return { scalar: s, scalarFirst: r() < 0.3 };
      }
      return {};
    },
    infer: (args, p) => {
      const rs = resolve(args, p);
      if (rs === null) return null;
      const shape = p['scalar'] === undefined ? broadcastShapes(args[0]!.shape, args[1]!.shape) : args[0]!.shape;
      return shape === null ? null : { shape, dtype: rs.out };
    },
    ref: (args, p, out, exact) => {
      const rs = resolve(args.map((t) => ({ shape: t.shape, dtype: t.dtype })), p)!;
      const cd = d.compute ? d.compute(rs.pd) : rs.out;
      const a = { ...args[0]!, data: cast(args[0]!, cd, exact), dtype: cd };
      const b: Tensor =
        p['scalar'] === undefined
          ? { ...args[1]!, data: cast(args[1]!, cd, exact), dtype: cd }
          : { shape: [], dtype: cd, data: Float64Array.of(round(cd, p['scalar'] as number, exact)) };
      let x = broadcastData(a, out.shape);
      let y = broadcastData(b, out.shape);
      if (p['scalarFirst']) [x, y] = [y, x];
      const integer = !isFloat(cd);
      return x.map((v, i) => {
        const w = y[i]!;
        const raw = integer && d.fi ? d.fi(v, w, cd) : d.f(v, w);
        return round(out.dtype, raw, exact);
      });
    },
    code: (names, p) => {
      if (p['scalar'] === undefined) return `mx.${name}(${names[0]}, ${names[1]})`;
      return p['scalarFirst'] ? `mx.${name}(${p['scalar']}, ${names[0]})` : `mx.${name}(${names[0]}, ${p['scalar']})`;
    },
  };
}

const arith = (d: Dt): Dt | null => (d === 'bool' ? null : d);
const compare = (d: Dt): Dt => d;
const toBool = (): Dt => 'bool';
const intOrBool = (d: Dt): Dt | null => (isFloat(d) ? null : d);
/** Integer multiply with wrapping (products of int32 values exceed 2^53). */
const imul = (x: number, y: number, d: Dt): number => (d === 'uint32' ? Math.imul(x, y) >>> 0 : Math.imul(x, y));
/** Floored integer division and the divisor-signed remainder (NumPy; docs/ops.md: a zero remainder takes the divisor's sign). */
const floorDiv = (x: number, y: number): number => Math.floor(x / y);
const pyMod = (x: number, y: number): number => {
  const m = x % y;
  if (m === 0) return y < 0 ? -0 : 0;
  return m < 0 !== y < 0 ? m + y : m;
};

const BINARY: OpSpec[] = [
  binary('add', { f: (x, y) => x + y, dtype: arith, smooth: true, exact: true }),
  binary('subtract', { f: (x, y) => x - y, dtype: arith, smooth: true, exact: true }),
  binary('multiply', { f: (x, y) => x * y, fi: imul, dtype: arith, smooth: true, exact: true }),
  binary('divide', { f: (x, y) => x / y, dtype: (d) => toFloating(d), smooth: true, cost: 2 }),
  binary('maximum', { f: Math.max, dtype: arith, smooth: true, exact: true }),
  binary('minimum', { f: Math.min, dtype: arith, smooth: true, exact: true }),
  binary('power', { f: Math.pow, dtype: floatOnly, smooth: true, cost: 8 }),
  binary('logaddexp', { f: (x, y) => { const m = Math.max(x, y); return m + Math.log1p(Math.exp(-Math.abs(x - y))); }, dtype: (d) => toFloating(d), smooth: true, cost: 4 }),
  binary('arctan2', { f: Math.atan2, dtype: (d) => toFloating(d), cost: 4 }),
  // Floats: floor(x / y) rounded first (MLX builds float floor_divide from divide and floor).
  binary('floorDivide', { f: (x, y) => x / y, fi: floorDiv, dtype: arith, discontinuous: true, exact: true }),
  binary('remainder', { f: pyMod, fi: pyMod, dtype: arith, discontinuous: true, exact: true }),
  binary('equal', { f: (x, y) => (x === y ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('notEqual', { f: (x, y) => (x !== y ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('greater', { f: (x, y) => (x > y ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('lessEqual', { f: (x, y) => (x <= y ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('logicalAnd', { f: (x, y) => (x !== 0 && y !== 0 ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('logicalOr', { f: (x, y) => (x !== 0 || y !== 0 ? 1 : 0), dtype: toBool, compute: compare, discontinuous: true, exact: true }),
  binary('bitwiseAnd', { f: (x, y) => x & y, dtype: intOrBool, discontinuous: true, exact: true, scalars: false }),
  binary('bitwiseOr', { f: (x, y) => x | y, dtype: intOrBool, discontinuous: true, exact: true, scalars: false }),
  binary('bitwiseXor', { f: (x, y) => x ^ y, dtype: intOrBool, discontinuous: true, exact: true, scalars: false }),
];
// floorDivide on floats: the quotient is rounded to the dtype, then floored.
{
  const fd = BINARY.find((o) => o.name === 'floorDivide')!;
  const base = fd.ref;
  fd.ref = (args, p, out, exact) => {
    const q = base(args, p, out, exact);
    return isFloat(out.dtype) ? q.map(Math.floor) : q;
  };
}

// ---- where ----

const WHERE: OpSpec = {
  name: 'where',
  arity: 3,
  exact: true,
  cost: one,
  params: () => ({}),
  infer: ([c, a, b]) => {
    if (c!.dtype !== 'bool') return null;
    const dt = promote(a!.dtype, b!.dtype);
    const s1 = broadcastShapes(c!.shape, a!.shape);
    const shape = s1 && broadcastShapes(s1, b!.shape);
    return dt === null || shape === null ? null : { shape, dtype: dt };
  },
  ref: ([c, a, b], _p, out, exact) => {
    const cc = broadcastData(c!, out.shape);
    const aa = broadcastData({ ...a!, data: cast(a!, out.dtype, exact) }, out.shape);
    const bb = broadcastData({ ...b!, data: cast(b!, out.dtype, exact) }, out.shape);
    return cc.map((v, i) => (v !== 0 ? aa[i]! : bb[i]!));
  },
  code: ([c, a, b]) => `mx.where(${c}, ${a}, ${b})`,
};

// ---- reductions ----

interface ReduceDef {
  /** Result dtype from the operand's (null: not generated). */
  dtype: (d: Dt) => Dt | null;
  /** Combines a group's values (in the compute dtype) into one float64 value. */
  f: (xs: number[], out: Dt) => number;
  /** Whether every reduced group must be non-empty. */
  nonEmpty?: boolean;
  smooth?: boolean;
  discontinuous?: boolean;
  exact?: (d: Dt) => boolean;
  /** The operand is cast to the result dtype before reducing (sum, prod, mean ...). */
  castFirst?: boolean;
}

const accumulation = (d: Dt): Dt => (d === 'bool' ? 'int32' : d === 'uint8' ? 'uint32' : d);

function reduction(name: string, d: ReduceDef): OpSpec {
  return {
    name,
    arity: 1,
    smooth: d.smooth,
    discontinuous: d.discontinuous,
    cost: (p, [a]) => {
      const axes = p['axes'] as number[] | null;
      const n = axes === null ? sizeOf(a!.shape) : axes.reduce((m, ax) => m * a!.shape[normAxis(ax, a!.shape.length)]!, 1);
      return 4 + n;
    },
    params: (r, [a]) => ({ axes: randomAxes(r, a!.shape.length), keepdims: r() < 0.4 }),
    infer: ([a], p) => {
      const dt = d.dtype(a!.dtype);
      if (dt === null) return null;
      const axes = p['axes'] as number[] | null;
      if (axes !== null && new Set(axes.map((x) => normAxis(x, a!.shape.length))).size !== axes.length) return null;
      const shape = reducedShape(a!.shape, axes, p['keepdims'] as boolean);
      if (d.nonEmpty && sizeOf(a!.shape) === 0) return null;
      return { shape, dtype: dt };
    },
    ref: ([a], p, out, exact) => {
      const x = d.castFirst ? cast(a!, out.dtype, exact) : a!.data;
      const groups = reduceGroups(a!.shape, p['axes'] as number[] | null);
      return Float64Array.from(groups, (g) => round(out.dtype, d.f(g.map((i) => x[i]!), out.dtype), exact));
    },
    code: ([a], p) => `mx.${name}(${a}, ${J(p['axes'])}, ${p['keepdims']})`,
  };
}

const wrapSum = (xs: number[], out: Dt): number => xs.reduce((s, v) => (isInt(out) ? round(out, s + v) : s + v), 0);
const wrapProd = (xs: number[], out: Dt): number => xs.reduce((s, v) => (isInt(out) ? round(out, imul(s, v, out)) : s * v), 1);
const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

const REDUCE: OpSpec[] = [
  reduction('sum', { dtype: accumulation, f: wrapSum, smooth: true, castFirst: true }),
  reduction('prod', { dtype: (t) => (t === 'bool' ? null : accumulation(t)), f: wrapProd, smooth: true, castFirst: true }),
  reduction('max', { dtype: notBool, f: (xs) => Math.max(...xs), nonEmpty: true, smooth: true }),
  reduction('min', { dtype: notBool, f: (xs) => Math.min(...xs), nonEmpty: true, smooth: true }),
  reduction('mean', { dtype: floatMath, f: mean, nonEmpty: true, smooth: true, castFirst: true }),
  reduction('var', {
    dtype: floatMath,
    f: (xs) => { const m = mean(xs); return xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length; },
    nonEmpty: true, smooth: true, castFirst: true,
  }),
  reduction('logsumexp', {
    dtype: floatMath,
    f: (xs) => { const m = Math.max(...xs); return m + Math.log(xs.reduce((s, v) => s + Math.exp(v - m), 0)); },
    nonEmpty: true, smooth: true, castFirst: true,
  }),
  reduction('all', { dtype: toBool, f: (xs) => (xs.every((v) => v !== 0) ? 1 : 0), discontinuous: true }),
  reduction('any', { dtype: toBool, f: (xs) => (xs.some((v) => v !== 0) ? 1 : 0), discontinuous: true }),
];
// max, min, all, any and integer sums are exact; mark them so.
for (const o of REDUCE) if (['max', 'min', 'all', 'any'].includes(o.name)) o.exact = true;

function argReduce(name: string, better: (x: number, y: number) => boolean): OpSpec {
  return {
    name,
    arity: 1,
    discontinuous: true,
    exact: true,
    cost: one,
    params: (r, [a]) => ({ axis: a!.shape.length === 0 || r() < 0.25 ? null : int(r, -a!.shape.length, a!.shape.length - 1), keepdims: r() < 0.3 }),
    infer: ([a], p) => {
      if (a!.dtype === 'bool') return null;
      const axis = p['axis'] as number | null;
      // MLX refuses any empty operand, whatever the axis ("Cannot argmax reduce zero size array").
      if (sizeOf(a!.shape) === 0) return null;
      const shape = reducedShape(a!.shape, axis === null ? null : [axis], p['keepdims'] as boolean);
      return { shape, dtype: 'uint32' };
    },
    ref: ([a], p) => {
      const groups = reduceGroups(a!.shape, p['axis'] === null ? null : [p['axis'] as number]);
      return Float64Array.from(groups, (g) => {
        let best = 0;
        for (let k = 1; k < g.length; k++) if (better(a!.data[g[k]!]!, a!.data[g[best]!]!)) best = k;
        return best;
      });
    },
    code: ([a], p) => `mx.${name}(${a}, ${J(p['axis'])}, ${p['keepdims']})`,
  };
}

// ---- scans and softmax ----

function scan(name: string, f: (acc: number, v: number, out: Dt) => number, init: number, dtype: (d: Dt) => Dt | null, smooth: boolean): OpSpec {
  return {
    name,
    arity: 1,
    smooth,
    exact: name === 'cummax' ? true : undefined,
    cost: (p, [a]) => 4 + (p['axis'] === null ? sizeOf(a!.shape) : a!.shape[normAxis(p['axis'] as number, a!.shape.length)]!),
    params: (r, [a]) => ({
      axis: a!.shape.length === 0 || r() < 0.2 ? null : int(r, -a!.shape.length, a!.shape.length - 1),
      reverse: r() < 0.3,
      inclusive: name === 'cummax' || r() < 0.7,
    }),
    infer: ([a], p) => {
      const dt = dtype(a!.dtype);
      if (dt === null) return null;
      return { shape: p['axis'] === null ? [sizeOf(a!.shape)] : a!.shape, dtype: dt };
    },
    ref: ([a], p, out, exact) => {
      const x = cast(a!, out.dtype, exact);
      const res = new Float64Array(x.length);
      for (let line of lines(a!.shape, p['axis'] as number | null)) {
        if (p['reverse']) line = line.slice().reverse();
        let acc = init;
        for (const i of line) {
          const next = round(out.dtype, f(acc, x[i]!, out.dtype), exact);
          res[i] = p['inclusive'] ? next : acc;
          acc = next;
        }
      }
      return res;
    },
    code: ([a], p) => `mx.${name}(${a}, ${J(p['axis'])}, ${p['reverse']}, ${p['inclusive']})`,
  };
}

const SCANS: OpSpec[] = [
  scan('cumsum', (s, v, d) => (isInt(d) ? round(d, s + v) : s + v), 0, (d) => (d === 'bool' ? 'int32' : d), true),
  scan('cumprod', (s, v, d) => (isInt(d) ? imul(s, v, d) : s * v), 1, notBool, true),
  scan('cummax', (s, v) => Math.max(s, v), -Infinity, notBool, true),
];

const SOFTMAX: OpSpec = {
  name: 'softmax',
  arity: 1,
  smooth: true,
  cost: (_p, [a]) => 8 + sizeOf(a!.shape),
  params: (r, [a]) => ({ axes: randomAxes(r, a!.shape.length) }),
  infer: ([a], p) => {
    if (!isFloat(a!.dtype)) return null;
    const axes = p['axes'] as number[] | null;
    if (axes !== null && new Set(axes.map((x) => normAxis(x, a!.shape.length))).size !== axes.length) return null;
    return { shape: a!.shape, dtype: a!.dtype };
  },
  ref: ([a], p, out, exact) => {
    const res = new Float64Array(a!.data.length);
    for (const g of reduceGroups(a!.shape, p['axes'] as number[] | null)) {
      const m = Math.max(...g.map((i) => a!.data[i]!));
      const s = g.reduce((acc, i) => acc + Math.exp(a!.data[i]! - m), 0);
      for (const i of g) res[i] = round(out.dtype, Math.exp(a!.data[i]! - m) / s, exact);
    }
    return res;
  },
  code: ([a], p) => `mx.softmax(${a}, ${J(p['axes'])})`,
};

// ---- sorting ----

/** MLX sorts NaN last; programs hold no NaN, so a plain numeric stable sort. */
function sortOp(name: 'sort' | 'argsort'): OpSpec {
  return {
    name,
    arity: 1,
    smooth: name === 'sort',
    discontinuous: name === 'argsort',
    exact: true,
    cost: one,
    params: (r, [a]) => ({ axis: a!.shape.length === 0 ? null : r() < 0.2 ? null : int(r, -a!.shape.length, a!.shape.length - 1) }),
    infer: ([a], p) => ({ shape: p['axis'] === null ? [sizeOf(a!.shape)] : a!.shape, dtype: name === 'sort' ? a!.dtype : 'uint32' }),
    ref: ([a], p) => {
      const res = new Float64Array(a!.data.length);
      for (const line of lines(a!.shape, p['axis'] as number | null)) {
        const order = line.map((_, k) => k).sort((x, y) => a!.data[line[x]!]! - a!.data[line[y]!]! || x - y);
        line.forEach((dst, k) => (res[dst] = name === 'sort' ? a!.data[line[order[k]!]!]! : order[k]!));
      }
      return res;
    },
    code: ([a], p) => `mx.${name}(${a}, ${J(p['axis'])})`,
  };
}

// ---- shape ----

/** A random shape of the same size (for reshape). */
function reshapeTarget(r: Rand, shape: readonly number[]): number[] {
  const n = sizeOf(shape);
  if (n === 0) {
    const out = Array.from({ length: int(r, 1, 3) }, () => int(r, 1, 3));
    out[int(r, 0, out.length - 1)] = 0;
    return out;
  }
  const factors: number[] = [];
  let m = n;
  for (let p = 2; p <= m; p++) while (m % p === 0) { factors.push(p); m /= p; }
  const ndim = int(r, 0, Math.min(4, factors.length + 1));
  if (ndim === 0) return n === 1 ? [] : [n];
  const out = new Array<number>(ndim).fill(1);
  for (const f of factors) out[int(r, 0, ndim - 1)]! *= f;
  if (r() < 0.3) out[int(r, 0, ndim - 1)] = -1;
  return out;
}

const SHAPE: OpSpec[] = [
  {
    name: 'reshape', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => ({ shape: reshapeTarget(r, a!.shape) }),
    infer: ([a], p) => {
      const s = p['shape'] as number[];
      const known = s.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
      return { shape: s.map((d) => (d === -1 ? sizeOf(a!.shape) / known : d)), dtype: a!.dtype };
    },
    ref: ([a]) => a!.data,
    code: ([a], p) => `mx.reshape(${a}, ${J(p['shape'])})`,
  },
  {
    name: 'transpose', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => {
      if (r() < 0.2) return { axes: null };
      const perm = a!.shape.map((_, k) => k);
      for (let k = perm.length - 1; k > 0; k--) { const j = int(r, 0, k); [perm[k], perm[j]] = [perm[j]!, perm[k]!]; }
      return { axes: perm };
    },
    infer: ([a], p) => {
      const axes = (p['axes'] as number[] | null) ?? a!.shape.map((_, k) => a!.shape.length - 1 - k);
      return { shape: axes.map((k) => a!.shape[k]!), dtype: a!.dtype };
    },
    ref: ([a], p, out) => {
      const axes = (p['axes'] as number[] | null) ?? a!.shape.map((_, k) => a!.shape.length - 1 - k);
      const st = stridesOf(a!.shape);
      const res = new Float64Array(a!.data.length);
      forEachIndex(out.shape, (i, idx) => {
        let src = 0;
        axes.forEach((ax, k) => (src += idx[k]! * st[ax]!));
        res[i] = a!.data[src]!;
      });
      return res;
    },
    code: ([a], p) => (p['axes'] === null ? `mx.transpose(${a})` : `mx.transpose(${a}, ${J(p['axes'])})`),
  },
  {
    name: 'expandDims', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => ({ axis: int(r, -a!.shape.length - 1, a!.shape.length) }),
    infer: ([a], p) => {
      const s = a!.shape.slice();
      s.splice(normAxis(p['axis'] as number, a!.shape.length + 1), 0, 1);
      return { shape: s, dtype: a!.dtype };
    },
    ref: ([a]) => a!.data,
    code: ([a], p) => `mx.expandDims(${a}, ${p['axis']})`,
  },
  {
    name: 'squeeze', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => {
      const ones = a!.shape.map((d, k) => (d === 1 ? k : -1)).filter((k) => k >= 0);
      if (ones.length === 0) return null;
      return { axis: r() < 0.3 ? null : pick(r, ones) };
    },
    infer: ([a], p) => ({
      shape: a!.shape.filter((d, k) => (p['axis'] === null ? d !== 1 : k !== p['axis'])),
      dtype: a!.dtype,
    }),
    ref: ([a]) => a!.data,
    code: ([a], p) => (p['axis'] === null ? `mx.squeeze(${a})` : `mx.squeeze(${a}, ${p['axis']})`),
  },
  {
    name: 'broadcastTo', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => {
      const s = a!.shape.map((d) => (d === 1 && r() < 0.6 ? int(r, 0, 3) : d));
      const lead = Array.from({ length: int(r, 0, 4 - Math.min(4, s.length)) }, () => int(r, 1, 3));
      return { shape: [...lead, ...s] };
    },
    infer: ([a], p) => ({ shape: p['shape'] as number[], dtype: a!.dtype }),
    ref: ([a], _p, out) => broadcastData(a!, out.shape),
    code: ([a], p) => `mx.broadcastTo(${a}, ${J(p['shape'])})`,
  },
  {
    name: 'slice', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => {
      if (a!.shape.length === 0) return null;
      const start: number[] = [];
      const stop: number[] = [];
      const strides: number[] = [];
      for (const d of a!.shape) {
        const s = int(r, 0, d);
        start.push(s);
        stop.push(int(r, s, d));
        strides.push(r() < 0.7 ? 1 : int(r, 1, 3));
      }
      return { start, stop, strides };
    },
    infer: ([a], p) => {
      const [start, stop, strides] = [p['start'], p['stop'], p['strides']] as number[][];
      return { shape: a!.shape.map((_, k) => Math.max(0, Math.ceil((stop![k]! - start![k]!) / strides![k]!))), dtype: a!.dtype };
    },
    ref: ([a], p, out) => {
      const [start, , strides] = [p['start'], p['stop'], p['strides']] as number[][];
      const res = new Float64Array(sizeOf(out.shape));
      forEachIndex(out.shape, (i, idx) => (res[i] = a!.data[offsetOf(a!.shape, idx.map((v, k) => start![k]! + v * strides![k]!))]!));
      return res;
    },
    code: ([a], p) => `mx.slice(${a}, ${J(p['start'])}, ${J(p['stop'])}, ${J(p['strides'])})`,
  },
  {
    name: 'flip', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => (a!.shape.length === 0 ? null : { axis: int(r, 0, a!.shape.length - 1) }),
    infer: ([a]) => ({ shape: a!.shape, dtype: a!.dtype }),
    ref: ([a], p, out) => {
      const ax = p['axis'] as number;
      const res = new Float64Array(a!.data.length);
      forEachIndex(out.shape, (i, idx) => {
        const src = idx.slice();
        src[ax] = a!.shape[ax]! - 1 - idx[ax]!;
        res[i] = a!.data[offsetOf(a!.shape, src)]!;
      });
      return res;
    },
    code: ([a], p) => `mx.flip(${a}, ${p['axis']})`,
  },
  {
    name: 'pad', arity: 1, smooth: true, exact: true, cost: one,
    params: (r, [a]) => (a!.shape.length === 0 ? null : { widths: a!.shape.map(() => [int(r, 0, 2), int(r, 0, 2)]) }),
    infer: ([a], p) => ({ shape: a!.shape.map((d, k) => d + (p['widths'] as number[][])[k]![0]! + (p['widths'] as number[][])[k]![1]!), dtype: a!.dtype }),
    ref: ([a], p, out) => {
      const w = p['widths'] as number[][];
      const res = new Float64Array(sizeOf(out.shape));
      forEachIndex(out.shape, (i, idx) => {
        const src = idx.map((v, k) => v - w[k]![0]!);
        if (src.every((v, k) => v >= 0 && v < a!.shape[k]!)) res[i] = a!.data[offsetOf(a!.shape, src)]!;
      });
      return res;
    },
    code: ([a], p) => `mx.pad(${a}, ${J(p['widths'])})`,
  },
  {
    name: 'astype', arity: 1, exact: true, cost: one,
    params: (r) => ({ dtype: pick(r, ['float32', 'float16', 'bfloat16', 'int32', 'bool', 'uint8'] as Dt[]) }),
    infer: ([a], p) => ({ shape: a!.shape, dtype: p['dtype'] as Dt }),
    ref: ([a], p, _out, exact) => cast(a!, p['dtype'] as Dt, exact),
    code: ([a], p) => `mx.astype(${a}, mx.${p['dtype']})`,
  },
];
// astype to an integer or bool from a float jumps (truncation): exact operands only, checked by the generator.
export const isDiscontinuousCast = (from: Dt, to: Dt): boolean => isFloat(from) && !isFloat(to);

// ---- several operands: concatenate, stack ----

function joinOp(name: 'concatenate' | 'stack'): OpSpec {
  return {
    name, arity: -1, smooth: true, exact: true, cost: one,
    params: (r, args) => {
      const nd = args[0]!.shape.length + (name === 'stack' ? 1 : 0);
      if (nd === 0) return null;
      return { axis: int(r, -nd, nd - 1) };
    },
    infer: (args, p) => {
      let dt: Dt | null = args[0]!.dtype;
      for (const a of args.slice(1)) dt = dt && promote(dt, a.dtype);
      if (dt === null) return null;
      const a0 = args[0]!.shape;
      if (name === 'stack') {
        if (!args.every((a) => a.shape.join() === a0.join())) return null;
        const s = a0.slice();
        s.splice(normAxis(p['axis'] as number, a0.length + 1), 0, args.length);
        return { shape: s, dtype: dt };
      }
      const ax = normAxis(p['axis'] as number, a0.length);
      if (!args.every((a) => a.shape.length === a0.length && a.shape.every((d, k) => k === ax || d === a0[k]))) return null;
      const s = a0.slice();
      s[ax] = args.reduce((m, a) => m + a.shape[ax]!, 0);
      return { shape: s, dtype: dt };
    },
    ref: (args, p, out, exact) => {
      const ax = normAxis(p['axis'] as number, out.shape.length);
      const res = new Float64Array(sizeOf(out.shape));
      const datas = args.map((t) => cast(t, out.dtype, exact));
      forEachIndex(out.shape, (i, idx) => {
        if (name === 'stack') {
          const src = idx.filter((_, k) => k !== ax);
          res[i] = datas[idx[ax]!]![offsetOf(args[0]!.shape, src)]!;
        } else {
          let at = idx[ax]!;
          let k = 0;
          while (at >= args[k]!.shape[ax]!) at -= args[k++]!.shape[ax]!;
          const src = idx.slice();
          src[ax] = at;
          res[i] = datas[k]![offsetOf(args[k]!.shape, src)]!;
        }
      });
      return res;
    },
    code: (names, p) => `mx.${name}([${names.join(', ')}], ${p['axis']})`,
  };
}

// ---- indexing: the indices are an int32 input made by the generator (params.indices) ----

const TAKE: OpSpec = {
  name: 'take', arity: 2, smooth: true, exact: true, cost: one,
  params: (r, [a]) => (a!.shape.length === 0 ? null : { axis: r() < 0.2 ? null : int(r, -a!.shape.length, a!.shape.length - 1) }),
  infer: ([a, idx], p) => {
    if (idx!.dtype !== 'int32') return null;
    if (p['axis'] === null) return { shape: idx!.shape, dtype: a!.dtype };
    const ax = normAxis(p['axis'] as number, a!.shape.length);
    return { shape: [...a!.shape.slice(0, ax), ...idx!.shape, ...a!.shape.slice(ax + 1)], dtype: a!.dtype };
  },
  ref: ([a, idx], p, out) => {
    const res = new Float64Array(sizeOf(out.shape));
    if (p['axis'] === null) {
      const n = a!.data.length;
      return idx!.data.map((v) => a!.data[v < 0 ? v + n : v]!);
    }
    const ax = normAxis(p['axis'] as number, a!.shape.length);
    const ni = idx!.shape.length;
    forEachIndex(out.shape, (i, o) => {
      const j = idx!.data[offsetOf(idx!.shape, o.slice(ax, ax + ni))]!;
      const src = [...o.slice(0, ax), j < 0 ? j + a!.shape[ax]! : j, ...o.slice(ax + ni)];
      res[i] = a!.data[offsetOf(a!.shape, src)]!;
    });
    return res;
  },
  code: ([a, idx], p) => (p['axis'] === null ? `mx.take(${a}, ${idx})` : `mx.take(${a}, ${idx}, ${p['axis']})`),
};

const TAKE_ALONG: OpSpec = {
  name: 'takeAlongAxis', arity: 2, smooth: true, exact: true, cost: one,
  params: (r, [a]) => (a!.shape.length === 0 ? null : { axis: int(r, -a!.shape.length, a!.shape.length - 1) }),
  infer: ([a, idx], p) => {
    if (idx!.dtype !== 'int32' || idx!.shape.length !== a!.shape.length) return null;
    const ax = normAxis(p['axis'] as number, a!.shape.length);
    const shape: number[] = [];
    for (let k = 0; k < a!.shape.length; k++) {
      if (k === ax) shape.push(idx!.shape[k]!);
      else {
        const b = broadcastShapes([a!.shape[k]!], [idx!.shape[k]!]);
        if (b === null) return null;
        shape.push(b[0]!);
      }
    }
    return { shape, dtype: a!.dtype };
  },
  ref: ([a, idx], p, out) => {
    const ax = normAxis(p['axis'] as number, a!.shape.length);
    const res = new Float64Array(sizeOf(out.shape));
    forEachIndex(out.shape, (i, o) => {
      const ii = o.map((v, k) => (idx!.shape[k] === 1 ? 0 : v));
      const j = idx!.data[offsetOf(idx!.shape, ii)]!;
      const src = o.map((v, k) => (k === ax ? (j < 0 ? j + a!.shape[ax]! : j) : a!.shape[k] === 1 ? 0 : v));
      res[i] = a!.data[offsetOf(a!.shape, src)]!;
    });
    return res;
  },
  code: ([a, idx], p) => `mx.takeAlongAxis(${a}, ${idx}, ${p['axis']})`,
};

// ---- matmul ----

const MATMUL: OpSpec = {
  name: 'matmul', arity: 2, smooth: true,
  cost: (_p, [a]) => 4 + (a!.shape[a!.shape.length - 1] ?? 1),
  params: () => ({}),
  infer: ([a, b]) => {
    const dt = promote(a!.dtype, b!.dtype);
    if (dt === null || !isFloat(dt) || a!.shape.length === 0 || b!.shape.length === 0) return null;
    const as = a!.shape.length === 1 ? [1, a!.shape[0]!] : a!.shape;
    const bs = b!.shape.length === 1 ? [b!.shape[0]!, 1] : b!.shape;
    if (as[as.length - 1] !== bs[bs.length - 2]) return null;
    const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
    if (batch === null) return null;
    const shape = [...batch];
    if (a!.shape.length > 1) shape.push(as[as.length - 2]!);
    if (b!.shape.length > 1) shape.push(bs[bs.length - 1]!);
    return { shape, dtype: dt };
  },
  ref: ([a, b], _p, out, exact) => {
    const x = { ...a!, data: cast(a!, out.dtype, exact) };
    const y = { ...b!, data: cast(b!, out.dtype, exact) };
    return matmulRef(x, y, out.shape).map((v) => round(out.dtype, v, exact));
  },
  code: ([a, b]) => `mx.matmul(${a}, ${b})`,
};

export const OPS: readonly OpSpec[] = [
  ...UNARY, ...BINARY, WHERE, ...REDUCE, argReduce('argmax', (x, y) => x > y), argReduce('argmin', (x, y) => x < y),
  ...SCANS, SOFTMAX, sortOp('sort'), sortOp('argsort'), ...SHAPE, joinOp('concatenate'), joinOp('stack'),
  TAKE, TAKE_ALONG, MATMUL,
];

export const opByName = (name: string): OpSpec => {
  const o = OPS.find((x) => x.name === name);
  if (o === undefined) throw new Error(`[fuzz] no op ${name}`);
  return o;
};


// arctan2(+-0, x < 0) is +-pi: the sign of a zero, which MLX leaves to the kernels, would decide.
opByName('arctan2').valid = ([a], p) => (p['scalarFirst'] ? p['scalar'] !== 0 : a!.data.every((v) => v !== 0));

// An integer divisor must not be 0 (C++ leaves it undefined; MLX programs avoid it too).
for (const name of ['floorDivide', 'remainder']) {
  opByName(name).valid = ([a, b], p) => {
    if (p['scalar'] === undefined) return b!.data.every((v) => v !== 0);
    return p['scalarFirst'] ? a!.data.every((v) => v !== 0) : p['scalar'] !== 0;
  };
}

// The random program generator. Program `index` of `seed` is always the same program (its
// own generator state), so one failing program can be made again alone. A program is a list
// of nodes: inputs (with their values) and ops over earlier nodes, a DAG of 3-12 ops. The
// generator evaluates the float64 reference as it goes and only keeps an op whose result is
// finite and of moderate size (and, for the gradient fuzzer, away from kinks and poles), so
// the comparison judges kernels, not overflow or cancellation.
import { rng } from '../values.js';
import { int, isDiscontinuousCast, type Operand, type OpSpec, OPS, type Params, pick, type Rand } from './ops.js';
import { broadcastData as broadcastDataOf, broadcastShapes, type Dt, INPUT_DTYPES, isFloat, sizeOf, type Tensor } from './tensor.js';
import { lines, normAxis, reduceGroups } from './reference-kernels.js';

export interface PNode {
  op: string; // 'input' or an op name
  args: number[];
  params: Params;
  shape: number[];
  dtype: Dt;
  /** Bit-exact on every correct backend (inputs; exact ops of exact operands; integer results). */
  exact: boolean;
  /** The reference: rounded per op as the core rounds (r) and in pure float64 (f). */
  r: Float64Array;
  f: Float64Array;
  /** Allowed absolute error of a float result (0 for exact nodes). */
  tol: number;
}

export type Mode = 'diff' | 'smooth';

export interface Program {
  seed: number;
  index: number;
  mode: Mode;
  nodes: PNode[];
}

/** Largest |value| a float intermediate may reach (larger: the op is not kept). */
const LIMIT = 1e4;
/** Distance kept from kinks and poles in smooth programs (finite-difference steps are ~1e-5). */
const MARGIN = 0.05;

const EPS: Record<Dt, number> = { float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7, int32: 0, uint32: 0, uint8: 0, bool: 0 };

function randomShape(r: Rand, allowEmpty: boolean): number[] {
  const ndim = pick(r, [0, 1, 1, 2, 2, 2, 3, 3]);
  return Array.from({ length: ndim }, () => (allowEmpty && r() < 0.15 ? 0 : int(r, 1, 4)));
}

function randomValues(r: Rand, n: number, dtype: Dt, mode: Mode): Float64Array {
  return Float64Array.from({ length: n }, () => {
    if (mode === 'smooth') return Math.fround(-2 + 4 * r());
    switch (dtype) {
      case 'bool':
        return r() < 0.5 ? 1 : 0;
      case 'uint8':
        return int(r, 0, 12);
      case 'int32':
        return int(r, -8, 8);
      default:
        return int(r, -32, 32) / 8; // exact in every float dtype, with ties on purpose
    }
  });
}

/** A shape that broadcasts with `s`: some of its axes set to 1, leading axes dropped or added. */
function broadcastPartner(r: Rand, s: readonly number[]): number[] {
  let out = s.map((d) => (r() < 0.35 ? 1 : d));
  if (out.length > 0 && r() < 0.3) out = out.slice(int(r, 1, out.length));
  if (out.length < 4 && r() < 0.2) out = [int(r, 1, 3), ...out];
  return out;
}

class Builder {
  nodes: PNode[] = [];
  constructor(
    readonly r: Rand,
    readonly mode: Mode,
    readonly allowEmpty: boolean,
  ) {}

  input(shape: number[], dtype: Dt, values?: Float64Array): number {
    const data = values ?? randomValues(this.r, sizeOf(shape), dtype, this.mode);
    this.nodes.push({ op: 'input', args: [], params: {}, shape, dtype, exact: true, r: data, f: data, tol: 0 });
    return this.nodes.length - 1;
  }

  randomDtype(): Dt {
    return this.mode === 'smooth' ? 'float32' : pick(this.r, INPUT_DTYPES);
  }

  /** An existing node to use as an operand: recent ones more often, so programs grow deep. */
  pickNode(filter: (n: PNode) => boolean): number | null {
    const ok = this.nodes.map((n, i) => (filter(n) ? i : -1)).filter((i) => i >= 0);
    if (ok.length === 0) return null;
    return this.r() < 0.6 ? ok[ok.length - 1 - Math.min(ok.length - 1, int(this.r, 0, 2))]! : pick(this.r, ok);
  }

  usable = (n: PNode): boolean => INPUT_DTYPES.includes(n.dtype) && (this.mode === 'diff' || n.dtype === 'float32');

  /** An existing node of a shape satisfying `fits`, or a new input of shape `make()`. */
  partner(fits: (s: number[]) => boolean, make: () => number[], dtype?: Dt): number {
    if (this.r() < 0.4) {
      const i = this.pickNode((n) => this.usable(n) && fits(n.shape) && (dtype === undefined || n.dtype === dtype));
      if (i !== null) return i;
    }
    return this.input(make(), dtype ?? this.randomDtype());
  }

  /** Index values for take/takeAlongAxis: in [-n, n). */
  indices(shape: number[], n: number): number {
    const data = Float64Array.from({ length: sizeOf(shape) }, () => int(this.r, -n, n - 1));
    return this.input(shape, 'int32', data);
  }

  /** Chooses the operands of `op` with `a` first; null when none fit. */
  operands(op: OpSpec, a: number): { args: number[]; extra: Params } | null {
    const r = this.r;
    const sa = this.nodes[a]!.shape;
    switch (op.name) {
      case 'where': {
        const cond = this.partner((s) => broadcastShapes(s, sa) !== null, () => broadcastPartner(r, sa), 'bool');
        const b = this.partner((s) => broadcastShapes(s, sa) !== null, () => broadcastPartner(r, sa));
        return { args: [cond, a, b], extra: {} };
      }
      case 'take': {
        if (sa.length === 0) return null;
        const axisChoice = r() < 0.2 ? null : int(r, -sa.length, sa.length - 1);
        const n = axisChoice === null ? sizeOf(sa) : sa[normAxis(axisChoice, sa.length)]!;
        if (n === 0) return null;
        const ishape = Array.from({ length: int(r, 0, 2) }, () => int(r, 1, 3));
        return { args: [a, this.indices(ishape, n)], extra: { axis: axisChoice } };
      }
      case 'takeAlongAxis': {
        if (sa.length === 0) return null;
        // MLX gathers slices of size 1 on every axis, which an empty operand refuses ("Slice sizes must be in [0, a.shape(i)]").
        if (sizeOf(sa) === 0) return null;
        const ax = int(r, 0, sa.length - 1);
        const ishape = sa.map((d, k) => (k === ax ? int(r, 1, 4) : r() < 0.3 ? 1 : d));
        return { args: [a, this.indices(ishape, sa[ax]!)], extra: { axis: ax - (r() < 0.3 ? sa.length : 0) } };
      }
      case 'matmul': {
        if (sa.length === 0) return null;
        const k = sa[sa.length - 1]!;
        const make = (): number[] => {
          if (r() < 0.2) return [k];
          const batch = sa.length > 2 && r() < 0.5 ? broadcastPartner(r, sa.slice(0, -2)) : [];
          return [...batch, k, int(r, 1, 4)];
        };
        const dt = this.mode === 'smooth' ? 'float32' : pick(r, ['float32', 'float16', 'bfloat16'] as Dt[]);
        return { args: [a, this.partner((s) => s.length >= 1 && s[s.length > 1 ? s.length - 2 : 0] === k, make, dt)], extra: {} };
      }
      case 'concatenate':
      case 'stack': {
        const n = int(r, 1, 2);
        const others: number[] = [];
        const ax = sa.length === 0 ? -1 : int(r, 0, sa.length - 1);
        for (let q = 0; q < n; q++) {
          if (op.name === 'stack') others.push(this.partner((s) => s.join() === sa.join(), () => sa.slice()));
          else {
            if (sa.length === 0) return null;
            others.push(this.partner(
              (s) => s.length === sa.length && s.every((d, j) => j === ax || d === sa[j]),
              () => sa.map((d, j) => (j === ax ? int(r, 0, 3) : d)),
            ));
          }
        }
        return { args: [a, ...others], extra: op.name === 'concatenate' ? { axis: ax - (r() < 0.3 ? sa.length : 0) } : {} };
      }
    }
    if (op.arity === 1) return { args: [a], extra: {} };
    // Binary element-wise: a weak JS number, an existing node or a new input that broadcasts.
    if (r() < 0.25) return { args: [a], extra: {} };
    return { args: [a, this.partner((s) => broadcastShapes(s, sa) !== null, () => broadcastPartner(r, sa))], extra: {} };
  }

  /** Tries to add one op; false when the attempt did not fit (the caller tries again). */
  tryOp(ops: readonly OpSpec[]): boolean {
    const r = this.r;
    const op = pick(r, ops);
    const a = this.pickNode(this.usable);
    if (a === null) return false;
    const mark = this.nodes.length; // new inputs made for this op are dropped if it fails
    const fail = (): false => {
      this.nodes.length = mark;
      return false;
    };
    const chosen = this.operands(op, a);
    if (chosen === null) return fail();
    const argNodes = chosen.args.map((i) => this.nodes[i]!);
    const operands: Operand[] = argNodes.map((n) => ({ shape: n.shape, dtype: n.dtype }));
    const params = op.params(r, chosen.args.length === 1 && op.arity === 2 ? operands.slice(0, 1) : operands);
    if (params === null) return fail();
    Object.assign(params, chosen.extra);
    const out = op.infer(operands, params);
    if (out === null) return fail();
    if (this.mode === 'smooth' && out.dtype !== 'float32') return fail();
    // Ops that jump (floor, comparisons, argsort, float -> int casts, where's condition) only
    // see exact operands, so a last-bit difference upstream cannot flip them.
    const jumps = op.discontinuous || (op.name === 'astype' && isDiscontinuousCast(argNodes[0]!.dtype, out.dtype));
    if (jumps && !argNodes.every((n) => n.exact)) return fail();
    if (op.name === 'where' && !argNodes[0]!.exact) return fail();
    if (this.mode === 'smooth' && (jumps || !op.smooth)) return fail();
    const tensors = (which: 'r' | 'f'): Tensor[] => argNodes.map((n) => ({ shape: n.shape, dtype: n.dtype, data: n[which] }));
    if (op.valid && !op.valid(tensors('r'), params)) return fail();
    if (this.mode === 'smooth' && !awayFromKinks(op, tensors('f'), params)) return fail();
    const rv = op.ref(tensors('r'), params, out, false);
    const fv = op.ref(tensors('f'), params, out, true);
    const bad = (v: number): boolean => !Number.isFinite(v) || Math.abs(v) > LIMIT;
    if (rv.some(bad) || fv.some(bad)) return fail();
    if (isFloat(out.dtype) && rv.some((v, i) => Math.abs(v - fv[i]!) > 0.25 * (1 + Math.abs(fv[i]!)))) return fail(); // ill-conditioned
    const exact = argNodes.every((n) => n.exact) && (op.exact === true || !isFloat(out.dtype));
    const mag = (xs: Float64Array): number => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const argMag = Math.max(1, ...argNodes.map((n) => mag(n.r)));
    const outMag = Math.max(1, mag(rv));
    const argTol = Math.max(0, ...argNodes.map((n) => n.tol));
    const tol = exact ? 0 : argTol * Math.min(16, Math.max(1, outMag / argMag)) + EPS[out.dtype] * op.cost(params, operands) * Math.max(outMag, argMag);
    this.nodes.push({ op: op.name, args: chosen.args, params, shape: out.shape, dtype: out.dtype, exact, r: rv, f: fv, tol });
    return true;
  }
}

/** Smooth programs keep finite differences honest: no kink or pole within MARGIN of an operand. */
function awayFromKinks(op: OpSpec, args: Tensor[], p: Params): boolean {
  const all = (xs: Float64Array, f: (v: number) => boolean): boolean => xs.every(f);
  const [a, b] = args;
  switch (op.name) {
    case 'abs':
      return all(a!.data, (v) => Math.abs(v) > MARGIN);
    case 'log':
    case 'sqrt':
    case 'rsqrt':
    case 'log1p':
      return all(a!.data, (v) => v > MARGIN + (op.name === 'log1p' ? -1 : 0));
    case 'reciprocal':
      return all(a!.data, (v) => Math.abs(v) > 0.2);
    case 'divide':
      return p['scalarFirst'] ? all(a!.data, (v) => Math.abs(v) > 0.2) : b === undefined || all(b.data, (v) => Math.abs(v) > 0.2);
    case 'power':
      // A positive base (x^y = exp(y log x)); a scalar exponent or a scalar base are fine then.
      return p['scalarFirst'] ? (p['scalar'] as number) > MARGIN : all(a!.data, (v) => v > MARGIN);
    case 'maximum':
    case 'minimum': {
      if (b === undefined) return all(a!.data, (v) => Math.abs(v - (p['scalar'] as number)) > MARGIN);
      const shape = broadcastShapes(a!.shape, b.shape)!;
      const x = broadcastDataOf(a!, shape);
      const y = broadcastDataOf(b, shape);
      return x.every((v, i) => Math.abs(v - y[i]!) > MARGIN);
    }
    case 'max':
    case 'min':
      return reduceGroups(a!.shape, p['axes'] as number[] | null).every((g) => distinctTop(g.map((i) => a!.data[i]!), op.name === 'max'));
    case 'sort':
      return lines(a!.shape, p['axis'] as number | null).every((l) => {
        const v = l.map((i) => a!.data[i]!).sort((x, y) => x - y);
        return v.every((x, k) => k === 0 || x - v[k - 1]! > MARGIN);
      });
    case 'cummax':
      return false; // its kinks depend on running maxima: left to the unit tests
    default:
      return true;
  }
}

function distinctTop(xs: number[], max: boolean): boolean {
  const v = xs.slice().sort((x, y) => (max ? y - x : x - y));
  return v.length < 2 || Math.abs(v[0]! - v[1]!) > MARGIN;
}

/** Program `index` of `seed`: 3-12 ops (diff mode) or 2-8 smooth float32 ops (gradient mode). */
export function generate(seed: number, index: number, mode: Mode): Program {
  const r = rng(seed, index);
  const b = new Builder(r, mode, mode === 'diff' && r() < 0.3);
  const nInputs = int(r, 1, 3);
  for (let k = 0; k < nInputs; k++) b.input(randomShape(r, b.allowEmpty), b.randomDtype());
  const ops = mode === 'smooth' ? OPS.filter((o) => o.smooth && !o.discontinuous) : OPS;
  const want = mode === 'smooth' ? int(r, 2, 8) : int(r, 3, 12);
  let made = 0;
  for (let attempt = 0; made < want && attempt < 400; attempt++) if (b.tryOp(ops)) made++;
  return { seed, index, mode, nodes: b.nodes };
}

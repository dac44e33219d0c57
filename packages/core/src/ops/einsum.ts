/**
 * einsum and einsumPath: Einstein summation with MLX's (NumPy's) subscripts: explicit
 * (`'ij,jk->ik'`) or implicit output (the labels seen once, sorted), `'...'` for broadcast
 * leading axes, repeated labels in one operand as diagonals (`'ii->i'`, trace `'ii'`). Built
 * from existing core ops (diagonal, sum, broadcastTo, transpose, reshape, matmul), so vjp,
 * jvp and vmap come from the parts. The operands are contracted pairwise in the order of
 * MLX's greedy path (NumPy's 'greedy' optimizer: at each step the pair whose contraction
 * removes the most elements, then the cheapest), which einsumPath returns.
 */
import { MxArray } from '../array.js';
import { isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe } from '../operands.js';
import { multiply } from './elementwise.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { broadcastTo, diagonal, reshape, transpose } from './shape.js';

const EINSUM = 'einsum';
const fail = (msg: string): never => {
  throw new Error(`[${EINSUM}] ${msg}`);
};

/** An operand during contraction: the array and one label per axis (no repeats). */
interface Term {
  x: MxArray;
  labels: string[];
}

const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c);

/** Splits one operand's subscripts into labels, with '...' kept as one token. */
function tokens(spec: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < spec.length; ) {
    if (spec.startsWith('...', i)) {
      if (out.includes('...')) fail(`Subscripts ${JSON.stringify(spec)} contain more than one ellipsis.`);
      out.push('...');
      i += 3;
    } else if (isLetter(spec[i]!)) {
      out.push(spec[i]!);
      i += 1;
    } else {
      fail(`Invalid character ${JSON.stringify(spec[i])} in subscripts ${JSON.stringify(spec)}.`);
    }
  }
  return out;
}

const product = (xs: readonly number[]): number => xs.reduce((p, v) => p * v, 1);

/** Sums the axes of `t` whose labels are not in `keep`. */
function sumOut(t: Term, keep: Set<string>): Term {
  const axes = t.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return t;
  return { x: sum(t.x, axes), labels: t.labels.filter((l) => keep.has(l)) };
}

/** `t` transposed so its labels come in `order` (which lists exactly its labels). */
function arrange(t: Term, order: readonly string[]): MxArray {
  const perm = order.map((l) => t.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? t.x : transpose(t.x, perm);
}

/** Contracts two terms over their shared labels not in `keep`; shared kept labels are batch axes. */
function contract(a: Term, b: Term, keep: Set<string>, size: Map<string, number>): Term {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => keep.has(l));
  const inner = shared.filter((l) => !keep.has(l));
  const aOnly = a.labels.filter((l) => !b.labels.includes(l));
  const bOnly = b.labels.filter((l) => !a.labels.includes(l));
  const sz = (ls: readonly string[]): number[] => ls.map((l) => size.get(l)!);
  const labels = [...batch, ...aOnly, ...bOnly];
  if (!isFloating(a.x.dtype) || !isFloating(b.x.dtype)) {
    // matmul is floating-point only: integer operands multiply with broadcasting, then sum.
    const ax = reshape(arrange(a, [...batch, ...aOnly, ...inner]), [...sz(batch), ...sz(aOnly), ...bOnly.map(() => 1), ...sz(inner)]);
    const bx = reshape(arrange(b, [...batch, ...bOnly, ...inner]), [...sz(batch), ...aOnly.map(() => 1), ...sz(bOnly), ...sz(inner)]);
    const prod = multiply(ax, bx);
    const nKept = labels.length;
    return { x: inner.length ? sum(prod, inner.map((_, i) => nKept + i)) : prod, labels };
  }
  const nb = product(sz(batch));
  const m = product(sz(aOnly));
  const k = product(sz(inner));
  const n = product(sz(bOnly));
  const ax = reshape(arrange(a, [...batch, ...aOnly, ...inner]), [nb, m, k]);
  const bx = reshape(arrange(b, [...batch, ...inner, ...bOnly]), [nb, k, n]);
  return { x: reshape(matmul(ax, bx), sz(labels)), labels };
}

/** Subscripts resolved against the operands: labels per operand ('...' expanded), output labels, label sizes. */
interface Parsed {
  labelsOf: string[][];
  output: string[];
  size: Map<string, number>;
}

function parse(subscripts: string, operands: readonly MxArray[]): Parsed {
  if (typeof subscripts !== 'string') fail(`Expected subscripts to be a string, got ${describe(subscripts)}.`);
  operands.forEach((x) => {
    if (!(x instanceof MxArray)) throw new TypeError(`[${EINSUM}] Expected an array operand, got ${describe(x)}.`);
  });
  const spec = subscripts.replace(/\s+/g, '');
  const arrow = spec.indexOf('->');
  if (arrow >= 0 && spec.indexOf('->', arrow + 1) >= 0) fail(`Subscripts ${JSON.stringify(subscripts)} contain more than one '->'.`);
  const lhs = arrow >= 0 ? spec.slice(0, arrow) : spec;
  const inputs = lhs.split(',').map(tokens);
  if (inputs.length !== operands.length) {
    fail(`Number of subscript groups (${inputs.length}) does not match the number of operands (${operands.length}).`);
  }
  // Expand '...' per operand into fresh labels, right-aligned across operands (broadcasting).
  const ellipsisLabels = (count: number, total: number): string[] =>
    Array.from({ length: count }, (_, i) => `.${total - count + i}`);
  let nEllipsis = 0;
  inputs.forEach((tk, i) => {
    const named = tk.filter((t) => t !== '...').length;
    const x = operands[i]!;
    if (tk.includes('...')) {
      if (x.ndim < named) fail(`Operand ${i} has ${x.ndim} dimensions but its subscripts name ${named} and an ellipsis.`);
      nEllipsis = Math.max(nEllipsis, x.ndim - named);
    } else if (x.ndim !== named) {
      fail(`Operand ${i} has ${x.ndim} dimensions but its subscripts ${JSON.stringify(tk.join(''))} name ${named}.`);
    }
  });
  const labelsOf = inputs.map((tk, i) => {
    const named = tk.filter((t) => t !== '...').length;
    return tk.flatMap((t) => (t === '...' ? ellipsisLabels(operands[i]!.ndim - named, nEllipsis) : [t]));
  });
  const allEllipsis = ellipsisLabels(nEllipsis, nEllipsis);
  // Output labels: explicit, or the ellipsis axes then the labels seen once, sorted.
  let output: string[];
  if (arrow >= 0) {
    const tk = tokens(spec.slice(arrow + 2));
    const seenOut = new Set<string>();
    for (const t of tk) {
      if (t === '...') continue;
      if (seenOut.has(t)) fail(`Output subscript ${JSON.stringify(t)} appears more than once.`);
      if (!labelsOf.some((ls) => ls.includes(t))) fail(`Output subscript ${JSON.stringify(t)} does not appear in the inputs.`);
      seenOut.add(t);
    }
    output = tk.flatMap((t) => (t === '...' ? allEllipsis : [t]));
  } else {
    const count = new Map<string, number>();
    labelsOf.flat().forEach((l) => {
      if (!l.startsWith('.')) count.set(l, (count.get(l) ?? 0) + 1);
    });
    const once = [...count].filter(([, c]) => c === 1).map(([l]) => l).sort();
    output = [...allEllipsis, ...once];
  }
  // The size of each label: equal everywhere, except that size 1 broadcasts.
  const size = new Map<string, number>();
  labelsOf.forEach((ls, i) =>
    ls.forEach((l, ax) => {
      const d = operands[i]!.shape[ax]!;
      const prev = size.get(l);
      if (prev === undefined || prev === 1) size.set(l, d);
      else if (d !== prev && d !== 1) {
        fail(`Size of label ${JSON.stringify(l.startsWith('.') ? '...' : l)} (${d} in operand ${i}) does not match its size ${prev} elsewhere.`);
      }
    }),
  );
  return { labelsOf, output, size };
}

/** One step of a contraction path: the positions it takes from the current list, and the labels it leaves. */
interface PathStep {
  positions: number[];
  result: Set<string>;
}

const termSize = (labels: Iterable<string>, size: Map<string, number>): number => {
  let n = 1;
  for (const l of labels) n *= size.get(l)!;
  return n;
};

/** NumPy's FLOP estimate of one step: the product of its labels' sizes times the terms it adds and multiplies. */
function flops(labels: Iterable<string>, terms: number, summed: boolean, size: Map<string, number>): number {
  return termSize(labels, size) * (Math.max(1, terms - 1) + (summed ? 1 : 0));
}

/**
 * MLX's contraction order (NumPy's greedy optimizer): one or two operands are one step;
 * otherwise, repeatedly, among the pairs that share a label (any pair when none does) whose
 * result fits the largest operand or output and keeps the total under the naive cost, the
 * pair removing the most elements, then the cheapest, then the first found, is contracted
 * and its result appended. When no pair qualifies, the rest is one step.
 */
function greedyPath(labelsOf: readonly string[][], output: readonly string[], size: Map<string, number>): { steps: PathStep[]; cost: number } {
  const outSet = new Set(output);
  let inputs = labelsOf.map((ls) => new Set(ls));
  const all = new Set(labelsOf.flat());
  const naive = flops(all, inputs.length, [...all].some((l) => !outSet.has(l)), size);
  if (inputs.length <= 2) return { steps: [{ positions: inputs.map((_, i) => i), result: outSet }], cost: naive };
  const memoryLimit = Math.max(termSize(output, size), ...labelsOf.map((ls) => termSize(ls, size)));
  interface Candidate { removed: number; cost: number; result: Set<string>; x: number; y: number }
  let pairs: [number, number][] = [];
  for (let i = 0; i < inputs.length; i++) for (let j = i + 1; j < inputs.length; j++) pairs.push([i, j]);
  let candidates: Candidate[] = [];
  const steps: PathStep[] = [];
  let cost = 0;
  const n = inputs.length;
  for (let step = 0; step < n - 1; step++) {
    const consider = (x: number, y: number): void => {
      const involved = new Set([...inputs[x]!, ...inputs[y]!]);
      const result = new Set([...involved].filter((l) => outSet.has(l) || inputs.some((t, k) => k !== x && k !== y && t.has(l))));
      const resultSize = termSize(result, size);
      if (resultSize > memoryLimit) return;
      const c = flops(involved, 2, involved.size > result.size, size);
      if (cost + c > naive) return;
      candidates.push({ removed: termSize(inputs[x]!, size) + termSize(inputs[y]!, size) - resultSize, cost: c, result, x, y });
    };
    const shares = (x: number, y: number): boolean => [...inputs[x]!].some((l) => inputs[y]!.has(l));
    for (const [x, y] of pairs) if (shares(x, y)) consider(x, y);
    if (candidates.length === 0) for (const [x, y] of pairs) consider(x, y);
    if (candidates.length === 0) {
      const rest = new Set(inputs.flatMap((t) => [...t]));
      cost += flops(rest, inputs.length, [...rest].some((l) => !outSet.has(l)), size);
      steps.push({ positions: inputs.map((_, i) => i), result: outSet });
      return { steps, cost };
    }
    let best = candidates[0]!;
    for (const c of candidates) if (c.removed > best.removed || (c.removed === best.removed && c.cost < best.cost)) best = c;
    steps.push({ positions: [best.x, best.y], result: best.result });
    cost += best.cost;
    const { x, y } = best;
    inputs = [...inputs.filter((_, k) => k !== x && k !== y), best.result];
    const shift = (k: number): number => k - (k > x ? 1 : 0) - (k > y ? 1 : 0);
    candidates = candidates
      .filter((c) => c.x !== x && c.x !== y && c.y !== x && c.y !== y)
      .map((c) => ({ ...c, x: shift(c.x), y: shift(c.y) }));
    const last = inputs.length - 1;
    pairs = inputs.slice(0, -1).map((_, k) => [k, last]);
  }
  steps[steps.length - 1]!.result = outSet;
  return { steps, cost };
}

/**
 * Einstein summation over `operands` as described by `subscripts` (e.g. `'ij,jk->ik'`,
 * `'ii'`, `'...ij,...jk'`, `'bij,bjk->bik'`).
 */
export function einsum(subscripts: string, ...operands: MxArray[]): MxArray {
  const { labelsOf, output, size } = parse(subscripts, operands);
  return tidy(() => {
    // Each operand: repeated labels become diagonals, size-1 axes broadcast to the label size.
    let terms: Term[] = operands.map((x, i) => {
      let t: Term = { x, labels: [...labelsOf[i]!] };
      for (;;) {
        const dup = t.labels.findIndex((l, j) => t.labels.indexOf(l) !== j);
        if (dup < 0) break;
        const first = t.labels.indexOf(t.labels[dup]!);
        if (t.x.shape[first] !== t.x.shape[dup]) {
          fail(`Repeated subscript ${JSON.stringify(t.labels[dup])} in operand ${i} has sizes ${t.x.shape[first]} and ${t.x.shape[dup]}.`);
        }
        // diagonal() drops both axes and appends the diagonal last.
        const l = t.labels[dup]!;
        t = { x: diagonal(t.x, 0, first, dup), labels: [...t.labels.filter((_, j) => j !== first && j !== dup), l] };
      }
      const target = t.labels.map((l) => size.get(l)!);
      if (target.some((d, ax) => d !== t.x.shape[ax])) t = { x: broadcastTo(t.x, target), labels: t.labels };
      return t;
    });
    const outSet = new Set(output);
    terms = terms.map((t, i) => sumOut(t, new Set([...outSet, ...terms.filter((_, j) => j !== i).flatMap((u) => u.labels)])));
    // Follow MLX's path: each step contracts its operands (pairwise, left to right within a
    // step) keeping the labels the other operands or the output still need.
    for (const { positions } of greedyPath(labelsOf, output, size).steps) {
      const taken = positions.map((p) => terms[p]!);
      const others = terms.filter((_, k) => !positions.includes(k));
      const needed = new Set([...output, ...others.flatMap((t) => t.labels)]);
      let acc = taken[0]!;
      for (let j = 1; j < taken.length; j++) {
        const keep = new Set([...needed, ...taken.slice(j + 1).flatMap((t) => t.labels)]);
        acc = contract(sumOut(acc, new Set([...keep, ...taken[j]!.labels])), sumOut(taken[j]!, new Set([...keep, ...acc.labels])), keep, size);
      }
      terms = [...others, sumOut(acc, needed)];
    }
    return arrange(sumOut(terms[0]!, outSet), output);
  });
}

/** Writes labels as subscripts, each run of broadcast ('...') labels as '...'. */
function subscriptText(labels: readonly string[]): string {
  let out = '';
  labels.forEach((l, i) => {
    if (!l.startsWith('.')) out += l;
    else if (i === 0 || !labels[i - 1]!.startsWith('.')) out += '...';
  });
  return out;
}

/**
 * The contraction order einsum uses for these subscripts and operands, and a printable
 * report of it, as MLX's einsum_path returns them: `[path, report]`. `path` lists the
 * operand positions contracted at each step in NumPy's convention (positions in the current
 * list; each result goes to the end of the list); the report gives the naive and the
 * path's scaling and FLOP estimates.
 */
export function einsumPath(subscripts: string, ...operands: MxArray[]): [number[][], string] {
  const { labelsOf, output, size } = parse(subscripts, operands);
  const outSet = new Set(output);
  const all = new Set(labelsOf.flat());
  const naiveFlops = flops(all, labelsOf.length, [...all].some((l) => !outSet.has(l)), size);
  const { steps, cost } = greedyPath(labelsOf, output, size);
  // The scaling of a step is the number of distinct labels it involves.
  let terms = labelsOf.map((ls) => new Set(ls));
  let scaling = 0;
  for (const { positions, result } of steps) {
    scaling = Math.max(scaling, new Set(positions.flatMap((p) => [...terms[p]!])).size);
    terms = [...terms.filter((_, k) => !positions.includes(k)), result];
  }
  const report = [
    `  Complete contraction:  ${subscripts.replace(/\s+/g, '')}`,
    `         Naive scaling:  ${all.size}`,
    `     Optimized scaling:  ${scaling}`,
    `      Naive FLOP count:  ${naiveFlops}`,
    `  Optimized FLOP count:  ${cost}`,
    '',
  ].join('\n');
  return [steps.map((s) => s.positions), report];
}

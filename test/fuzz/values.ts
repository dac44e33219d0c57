// The fuzzer's argument generator: a seeded random choice of arguments, well-formed and
// malformed, for any function. Call `i` of seed `s` is always the same call (its own
// generator state), so one failing call can be run again alone.
import * as mx from 'mlxjs';

/** A small seeded generator (mulberry32): uniform floats in [0, 1). */
export function rng(seed: number, index: number): () => number {
  let a = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index | 0, 0x85ebca77) ^ 0x6d2b79f5) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** An argument and how to write it in a reproduction. */
export interface Arg {
  value: unknown;
  text: string;
}

/** Arrays that exist before every call; the fuzzer checks they are unchanged after it. */
export interface Pool {
  names: string[];
  arrays: mx.Array[];
  /** What each array held when made (JSON of tolist). */
  snapshots: string[];
  disposed: mx.Array;
}

export function makePool(): Pool {
  const entries: [string, () => mx.Array][] = [
    ['scalar_f32', () => mx.array(3.5)],
    ['vec3_f32', () => mx.array([1, -2, 3])],
    ['m23_f32', () => mx.array([[1, 2, 3], [4, 5, 6]])],
    ['t234_f32', () => mx.divide(mx.arange(24).reshape([2, 3, 4]), 10)],
    ['empty03_f32', () => mx.zeros([0, 3])],
    ['vec4_i32', () => mx.array([1, 0, 3, 2], mx.int32)],
    ['m22_bool', () => mx.array([[true, false], [false, true]])],
    ['vec3_u8', () => mx.array([0, 7, 255], mx.uint8)],
    ['vec2_i64', () => mx.array(new BigInt64Array([-5n, 9n]))],
    ['m22_f16', () => mx.array([[0.5, -1], [2, 4]], mx.float16)],
    ['vec2_c64', () => mx.array([{ re: 1, im: 2 }, { re: -3, im: 0.5 }])],
    ['key', () => mx.random.key(7)],
    ['m33_spd', () => mx.array([[4, 1, 0], [1, 3, 1], [0, 1, 2]])],
    ['t1214_f32', () => mx.array([[[[1, 2, 3, 4]], [[5, 6, 7, 8]]]])],
    ['vec5_f32', () => mx.array([0.25, -0.5, 1, 2, -4])],
  ];
  const names = entries.map(([n]) => n);
  const arrays = mx.tidy(() => entries.map(([, make]) => mx.keep(make())));
  mx.eval(arrays);
  const disposed = mx.array([1]);
  disposed.dispose();
  return { names, arrays, snapshots: arrays.map(snapshot), disposed };
}

/** The values of an array as text, for checking that a call left it alone. */
export function snapshot(x: mx.Array): string {
  return JSON.stringify([x.shape, String(x.dtype), x.tolist()], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

const SPECIAL_NUMBERS: readonly number[] = [
  NaN, Infinity, -Infinity, 0.5, -0.5, -0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 2, -(2 ** 31) - 1, 1e300, -1e300,
  Number.MAX_SAFE_INTEGER + 2, 1e-40, 1000,
];
const STRINGS: readonly string[] = ['a', '1', 'float32', 'int32', 'fro', 'nuc', 'constant', 'edge', 'ij', 'xy', '', 'x'.repeat(5000), 'ii->i', 'ij,jk->ik'];
const OPTION_KEYS: readonly string[] = [
  'axis', 'axes', 'keepdims', 'dtype', 'k', 'shape', 'ord', 'num', 'key', 'eps', 'scale', 'stream', 'decimals',
  'mode', 'stride', 'padding', 'groups', 'dims', 'base', 'offset', 'traditional', 'bias', 'weight', 'ddof',
  'reverse', 'inclusive', 'precise', 'indexing', 'side', 'sorter', 'm', 'n', 'low', 'high', 'mean', 'std', 'p',
  'lower', 'upper', 'rtol', 'atol', 'equalNan', 'shapeless', 'inputs', 'outputs', 'argnums', 'inAxes', 'outAxes',
  'groupSize', 'bits', 'transpose', 'nan', 'posinf', 'neginf', 'right', 'streams', 'device',
];
/** Functions handed to transforms and host functions; '[fuzz]' errors are the fuzzer's own. */
const FUNCTIONS: readonly [string, (...a: unknown[]) => unknown][] = [
  ['identity', (x: unknown) => x],
  ['sin', (x: unknown) => mx.sin(x as mx.Array)],
  ['sumAll', (x: unknown) => mx.sum(x as mx.Array)],
  ['addOne', (...a: unknown[]) => mx.add(a[0] as mx.Array, 1)],
  ['returnsNumber', () => 1],
  ['returnsUndefined', () => undefined],
  ['throws', () => {
    throw new Error('[fuzz] thrown by the fuzzed callback');
  }],
];

/** One argument of any kind; `depth` stops options from nesting forever. */
export function anyArg(r: Rand, pool: Pool, depth = 0): Arg {
  const u = r();
  if (u < 0.35) {
    const i = int(r, 0, pool.arrays.length - 1);
    return { value: pool.arrays[i], text: pool.names[i]! };
  }
  if (u < 0.5) {
    const v = int(r, -3, 5);
    return { value: v, text: String(v) };
  }
  if (u < 0.55) {
    const v = pick(r, SPECIAL_NUMBERS);
    return { value: v, text: Object.is(v, -0) ? '-0' : String(v) };
  }
  if (u < 0.65) {
    const n = int(r, 0, 4);
    const xs = Array.from({ length: n }, () => (r() < 0.9 ? int(r, -2, 4) : pick(r, SPECIAL_NUMBERS)));
    return { value: xs, text: `[${xs.map(String).join(', ')}]` };
  }
  if (u < 0.68) {
    const xs = r() < 0.5 ? [[1, 2], [3, 4]] : r() < 0.5 ? [[1, 2], [3]] : ['a', 1];
    return { value: xs, text: JSON.stringify(xs) };
  }
  if (u < 0.72) {
    const v = r() < 0.5;
    return { value: v, text: String(v) };
  }
  if (u < 0.76) {
    const s = pick(r, STRINGS);
    return { value: s, text: s.length > 40 ? `'x'.repeat(${s.length})` : JSON.stringify(s) };
  }
  if (u < 0.78) {
    const v = r() < 0.5 ? 1n : 2n ** 70n;
    return { value: v, text: `${v}n` };
  }
  if (u < 0.83) return r() < 0.5 ? { value: undefined, text: 'undefined' } : { value: null, text: 'null' };
  if (u < 0.87) {
    const d = pick(r, mx.dtypes);
    return { value: d, text: `mx.${String(d)}` };
  }
  if (u < 0.94 && depth === 0) {
    const n = int(r, 0, 3);
    const o: Record<string, unknown> = {};
    const texts: string[] = [];
    for (let k = 0; k < n; k++) {
      const key = pick(r, OPTION_KEYS);
      const a = anyArg(r, pool, depth + 1);
      o[key] = a.value;
      texts.push(`${key}: ${a.text}`);
    }
    return { value: o, text: `{ ${texts.join(', ')} }` };
  }
  if (u < 0.97) {
    const [name, f] = pick(r, FUNCTIONS);
    return { value: f, text: `fns.${name}` };
  }
  if (u < 0.985) {
    const c = int(r, 0, 2);
    if (c === 0) return { value: new Float32Array([1, 2, 3]), text: 'new Float32Array([1, 2, 3])' };
    if (c === 1) return { value: new BigInt64Array([1n, -2n]), text: 'new BigInt64Array([1n, -2n])' };
    return { value: new Int32Array([2, 0]), text: 'new Int32Array([2, 0])' };
  }
  if (u < 0.993) return { value: pool.disposed, text: 'disposedArray' };
  return r() < 0.5 ? { value: {}, text: '{}' } : { value: Symbol('s'), text: "Symbol('s')" };
}

/** The arguments of one call to a function taking `declared` parameters (fn.length). */
export function argsFor(r: Rand, pool: Pool, declared: number): Arg[] {
  const n = Math.max(0, Math.min(6, declared + int(r, -1, 2)));
  const args: Arg[] = [];
  for (let k = 0; k < n; k++) {
    // Most ops take an array first: lean that way so calls reach the kernels.
    if (k === 0 && r() < 0.6) {
      const i = int(r, 0, pool.arrays.length - 1);
      args.push({ value: pool.arrays[i], text: pool.names[i]! });
    } else args.push(anyArg(r, pool));
  }
  return args;
}

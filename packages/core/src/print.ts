/**
 * MLX's array repr, `array([[1, 2],\n       [3, 4]], dtype=int32)`, and its print options.
 *
 * The rules are those of MLX's C++ printer (mlx/utils.cpp: print_array, print_subarray,
 * PrintFormatter; python/src/print.cpp for the options), which Python's `repr(x)` and
 * `str(x)` use:
 * - `array(` + the values + `, dtype=<name>)`; a 0-d array prints its single value.
 * - Nested brackets. Innermost elements are joined by `, `; rows of the dims above by
 *   `,\n` and the next row is indented by 7 + dim spaces (under the bracket after
 *   `array(`). No blank line between the 2-d blocks of a 3-d array (unlike NumPy).
 * - Summarising is per dimension and does not depend on the total size: any dimension
 *   longer than 6 shows its first 3 and last 3 entries with `...` between (so
 *   `mx.arange(10)` prints `array([0, 1, 2, ..., 7, 8, 9], dtype=int32)`).
 * - No column alignment and no padding of numbers (unlike NumPy).
 * - bool prints `True`/`False` (Python sets PrintFormatter::capitalize_bool).
 * - Integers print in decimal (int8/uint8 as numbers, 64-bit exactly).
 * - Floats (float16, bfloat16, float32, float64), with precision -1 (the default), print as
 *   C++ `os << value` does: printf's `%g` with 6 significant digits (trailing zeros and
 *   point dropped, exponent form `1e+10` below 1e-4 or from 1e6 up). With precision p >= 0
 *   (`setPrintoptions({ precision: p })`) they print as `std::fixed` with p decimals
 *   (`%.pf`, zeros kept). Rounding is round-half-even on the exact binary value, as glibc
 *   and Apple's libc do. Non-finite values print `inf`, `-inf`, `nan`; -0 prints `-0`.
 *   (A NaN's sign bit is not shown: Apple's libc, where MLX mostly runs, prints `nan`.)
 * - complex64: `re+imj` / `re-|im|j` with each part formatted as a float, see formatComplex.
 */
import type { Backend, Handle } from './backend.js';
import type { Dtype } from './dtype.js';
import { readTypedArray } from './elements.js';
import { checkFunction, checkNumber, checkOptions, checkString, describeValue } from './arg-checks.js';

/** What formatArray reads of an array (structural: this module does not import array.ts). */
export interface PrintableArray {
  readonly isDisposed: boolean;
  readonly dtype: Dtype;
  readonly shape: number[];
  readonly backend: Pick<Backend, 'read'>;
  readonly handle: Handle;
}

/** MLX's PrintOptions: `precision` is the decimals of floats, or -1 for `%g` (the default). */
export interface PrintOptions {
  precision: number;
}

let current: PrintOptions = { precision: -1 };

/** The print options in effect (a copy). */
export function getPrintoptions(): PrintOptions {
  return { ...current };
}

/**
 * Sets the print options for every later print, as MLX's `set_printoptions`. Omitted
 * options take their defaults (`setPrintoptions()` restores the default -1).
 */
export function setPrintoptions(options: Partial<PrintOptions> = {}): void {
  const precision = checkOptions<PrintOptions>('set_printoptions', options).precision ?? -1;
  if (!Number.isInteger(precision) || precision < -1 || precision > 100) {
    throw new Error(
      `[set_printoptions] precision must be an integer from -1 (default) to 100, got ${describeValue(precision)}.`,
    );
  }
  current = { precision };
}

/**
 * Runs `fn` with the print options set and restores the previous ones when it returns or
 * throws: MLX's `with mx.printoptions(...)`. The options are global, so `fn` should be
 * synchronous (an async fn's later steps would see the restored options).
 */
export function printoptions<T>(options: Partial<PrintOptions>, fn: () => T): T {
  checkOptions('printoptions', options);
  checkFunction('printoptions', 'fn', fn);
  const saved = current;
  setPrintoptions(options);
  try {
    return fn();
  } finally {
    current = saved;
  }
}

/** A precision: -1 (shortest) or a digit count. */
function checkPrecision(op: string, p: unknown): void {
  if (typeof p !== 'number' || !Number.isInteger(p) || p < -1 || p > 100) {
    throw new Error(`[${op}] precision must be an integer from -1 to 100, got ${describeValue(p)}.`);
  }
}

/** One float as MLX prints it (see the rules at the top of this file). */
export function formatFloat(v: number, precision: number = current.precision): string {
  checkNumber('formatFloat', 'v', v);
  checkPrecision('formatFloat', precision);
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const mag = Math.abs(v);
  if (precision >= 0) return sign + fixedDigits(roundScaled(mag, precision), precision);
  return sign + formatG(mag, 6);
}

/** One complex value as MLX prints complex64: `1+3j`, `-4-5j`. */
export function formatComplex(re: number, im: number, precision: number = current.precision): string {
  checkNumber('formatComplex', 're', re);
  checkNumber('formatComplex', 'im', im);
  checkPrecision('formatComplex', precision);
  const imPart = im >= 0 || Number.isNaN(im) ? `+${formatFloat(im, precision)}` : `-${formatFloat(-im, precision)}`;
  return `${formatFloat(re, precision)}${imPart}j`;
}

/** printf `%.{p}g` of a finite value >= 0 (p significant digits, zeros stripped). */
function formatG(mag: number, p: number): string {
  if (mag === 0) return '0';
  // The decimal exponent after rounding to p digits: start from an estimate and correct it
  // when rounding carried into a new digit or the estimate was one too high.
  let x = Number(mag.toExponential().split('e')[1]);
  let n = roundScaled(mag, p - 1 - x);
  for (;;) {
    if (n >= 10n ** BigInt(p)) x += 1;
    else if (n < 10n ** BigInt(p - 1)) x -= 1;
    else break;
    n = roundScaled(mag, p - 1 - x);
  }
  if (x >= -4 && x < p) return stripZeros(fixedDigits(n, p - 1 - x));
  const digits = n.toString();
  const mantissa = stripZeros(`${digits[0]}.${digits.slice(1)}`);
  const e = Math.abs(x).toString().padStart(2, '0');
  return `${mantissa}e${x < 0 ? '-' : '+'}${e}`;
}

/** `n / 10^q` written with q decimals. */
function fixedDigits(n: bigint, q: number): string {
  if (q <= 0) return n.toString() + '0'.repeat(-q);
  const s = n.toString().padStart(q + 1, '0');
  return `${s.slice(0, -q)}.${s.slice(-q)}`;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** round-half-even(mag * 10^q), exactly, for a finite mag >= 0 (mag = m * 2^e). */
function roundScaled(mag: number, q: number): bigint {
  f64[0] = mag;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  let num = m;
  let den = 1n;
  if (q >= 0) num *= 10n ** BigInt(q);
  else den *= 10n ** BigInt(-q);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const quo = num / den;
  const twice = 2n * (num - quo * den);
  if (twice > den || (twice === den && (quo & 1n) === 1n)) return quo + 1n;
  return quo;
}

/** Formats element i of a flat row-major read of an array of `dtype`. */
function elementFormatter(bytes: Uint8Array, dtype: Dtype): (i: number) => string {
  const values = readTypedArray(bytes, dtype);
  if (dtype.kind === 'bool') return (i) => (values[i] ? 'True' : 'False');
  if (dtype.kind === 'complex') {
    const precision = current.precision;
    return (i) => formatComplex(values[2 * i] as number, values[2 * i + 1] as number, precision);
  }
  if (dtype.kind === 'float') {
    const precision = current.precision;
    return (i) => formatFloat(values[i] as number, precision);
  }
  return (i) => String(values[i]);
}

/**
 * Lays out the elements of a row-major array of `shape` as MLX's print_subarray does;
 * `format(i)` is called only for the flat indices that are shown.
 */
export function layoutElements(shape: readonly number[], format: (i: number) => string): string {
  if (shape.length === 0) return format(0);
  const strides = new globalThis.Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const edge = 3;
  const sub = (start: number, dim: number): string => {
    const n = shape[dim]!;
    const s = strides[dim]!;
    const last = dim === shape.length - 1;
    const prefix = last ? '' : ' '.repeat(7 + dim);
    const postfix = last ? ', ' : ',\n';
    let index = start;
    let out = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) out += prefix;
      if (i === edge && n > 2 * edge) {
        out += '...';
        i = n - edge - 1;
        index += s * (n - 2 * edge - 1);
      } else {
        out += last ? format(index) : sub(index, dim + 1);
      }
      if (i !== n - 1) out += postfix;
      index += s;
    }
    return `${out}]`;
  };
  return sub(0, 0);
}

/**
 * MLX's repr of an array: `array([1, 2.5, -3], dtype=float32)`. Evaluates the array (as
 * MLX's printing does). A disposed array prints `array(<disposed>)` instead of failing.
 */
export function formatArray(a: PrintableArray): string {
  if (a === null || typeof a !== 'object' || typeof (a.backend as { read?: unknown } | undefined)?.read !== 'function') {
    throw new Error(`[formatArray] Expected an array, got ${describeValue(a)}.`);
  }
  if (a.isDisposed) return 'array(<disposed>)';
  const dtype = a.dtype;
  const format = elementFormatter(a.backend.read(a.handle), dtype);
  return `array(${layoutElements(a.shape, format)}, dtype=${dtype.name})`;
}

/** Node's util.inspect hook, found by its registered symbol (no node:util import). */
export const inspectCustom: symbol = Symbol.for('nodejs.util.inspect.custom');

/** The options Node passes to an inspect hook (only what is used here). */
interface InspectOptions {
  stylize?: (text: string, style: string) => string;
}

/**
 * Makes Node's `console.log(obj)`/`util.inspect(obj)` show `obj.toString()` (the class's
 * repr) instead of the object's fields, also nested inside other objects (Node indents the
 * continuation lines). Past util.inspect's depth it shows `[short(obj)]`. Used by the
 * Array class; reusable by other classes with a repr (nn modules, optimizers).
 */
export function defineRepr<T extends object>(
  proto: T,
  short: (self: T) => string = (self) => self.constructor.name,
): void {
  Object.defineProperty(proto, inspectCustom, {
    value(this: T, depth: number, options?: InspectOptions): string {
      if (depth < 0) {
        const text = `[${short(this)}]`;
        return options?.stylize ? options.stylize(text, 'special') : text;
      }
      return this.toString();
    },
    writable: true,
    configurable: true,
  });
}

/** Indents every line after the first by `prefix` (for nesting a repr inside another). */
export function indentRepr(text: string, prefix: string): string {
  checkString('indentRepr', 'text', text);
  checkString('indentRepr', 'prefix', prefix);
  return text.replaceAll('\n', `\n${prefix}`);
}

/**
 * Chrome/Firefox DevTools custom formatter (shown when "Enable custom formatters" is on in
 * DevTools settings): arrays appear as their repr instead of the object's fields.
 */
interface DevtoolsFormatter {
  header(obj: unknown): unknown;
  hasBody(): boolean;
}

export function devtoolsFormatter(isArray: (obj: unknown) => obj is PrintableArray): DevtoolsFormatter {
  return {
    header(obj: unknown): unknown {
      if (!isArray(obj)) return null;
      return ['div', { style: 'white-space: pre; font-family: monospace' }, formatArray(obj)];
    },
    hasBody: () => false,
  };
}

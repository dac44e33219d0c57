/**
 * Checks of scalar arguments at the API boundary, shared by the op-schema encoder
 * (ops/call.ts) and the few functions that take integers outside it. The core reads
 * integers as int32: a larger JS number would wrap mod 2^32 on the way in (2^32 + 2 -> 2),
 * so every integer is checked here, once, and a bad one is an "[op] ..." Error naming the
 * argument. Messages describe the value without stringifying objects (an array's
 * toString would read all its data).
 */

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;

/** A short, safe description of any value for error messages (never calls toString). */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return String(v);
    case 'boolean':
      return `a boolean (${v})`;
    case 'bigint': {
      const s = v.toString();
      return `a bigint (${s.length > 24 ? `${s.slice(0, 21)}...` : s}n)`;
    }
    case 'string':
      return `a string (${JSON.stringify(v.length > 24 ? `${v.slice(0, 21)}...` : v)})`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return `a list of length ${v.length}`;
      if (ArrayBuffer.isView(v)) return `a ${v.constructor?.name ?? 'typed array'}`;
      if ((v as object).constructor?.name === 'MxArray') return 'an mx.Array';
      return `an object (${(v as object).constructor?.name ?? 'no class'})`;
  }
}

/**
 * Why `v` is not an int32, or null when it is. `label` names the argument ("shape[0]");
 * `size` says the argument is a size (the message then speaks of the largest size).
 */
export function int32Problem(label: string, v: unknown, size = false): string | null {
  if (typeof v !== 'number') return `${label} must be an integer, got ${describeValue(v)}.`;
  if ((v | 0) === v) return null;
  if (!Number.isFinite(v)) return `${label} = ${v} is not a finite integer.`;
  if (!Number.isInteger(v)) return `${label} = ${v} is not an integer.`;
  if (v > INT32_MAX) return `${label} = ${v} is larger than the largest ${size ? 'size' : 'int32'}, ${INT32_MAX}.`;
  return `${label} = ${v} is smaller than the smallest int32, ${INT32_MIN}.`;
}

/** Throws "[op] ..." unless `v` is an int32; returns it. */
export function checkInt(op: string, label: string, v: unknown, size = false): number {
  const problem = int32Problem(label, v, size);
  if (problem !== null) throw new Error(`[${op}] ${problem}`);
  return v as number;
}

/** Throws "[op] ..." unless `v` is a list of int32s; returns it. */
export function checkInts(op: string, label: string, v: unknown, size = false): readonly number[] {
  if (!Array.isArray(v)) throw new Error(`[${op}] ${label} must be a list of integers, got ${describeValue(v)}.`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || (x | 0) !== x) throw new Error(`[${op}] ${int32Problem(`${label}[${i}]`, x, size)}`);
  }
  return v as readonly number[];
}

/** Throws "[op] ..." unless `v` is a JS number (NaN and infinities are numbers). */
export function checkNumber(op: string, label: string, v: unknown): number {
  if (typeof v !== 'number') throw new Error(`[${op}] ${label} must be a number, got ${describeValue(v)}.`);
  return v;
}

/** Parameter names whose values are sizes (the larger-than message speaks of sizes). */
export const isSizeName = (name: string): boolean => /^(shape|num|n|m|size|sizes|reps|repeats|groupSize|bits)$/.test(name);

/**
 * Throws "[op] ..." unless `v` is a byte count: a whole number from 0 to 2^53 (NaN,
 * negative and fractional limits would mean different things on different backends).
 */
export function checkByteCount(op: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new Error(`[${op}] The limit must be a whole number of bytes >= 0, got ${describeValue(v)}.`);
  }
  return v;
}

/** Throws "[op] ..." unless `f` is a function. */
export function checkFunction(op: string, label: string, f: unknown): void {
  if (typeof f !== 'function') throw new Error(`[${op}] ${label} must be a function, got ${describeValue(f)}.`);
}

/** Throws "[op] ..." unless `s` is a string. */
export function checkString(op: string, label: string, s: unknown): string {
  if (typeof s !== 'string') throw new Error(`[${op}] ${label} must be a string, got ${describeValue(s)}.`);
  return s;
}

/** Throws "[op] ..." unless `o` is undefined or an object (an options bag); returns it or {}. */
export function checkOptions<T extends object>(op: string, o: unknown): Partial<T> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new Error(`[${op}] Options must be an object, got ${describeValue(o)}.`);
  }
  return o as Partial<T>;
}

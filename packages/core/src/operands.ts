import { MxArray } from './array.js';
import { describeValue } from './arg-checks.js';
import type { Backend, Handle } from './backend.js';
import { currentBackend } from './registry.js';
import { weakScalarDtype } from './scalars.js';

/** What ops accept where MLX takes "scalar or array". */
export type Operand = MxArray | number | boolean;

/**
 * The backend an op runs on: that of its array operands (which must agree), else the
 * current one. Looking at the operands first keeps the registry out of the hot path.
 */
export function backendOf(op: string, ...operands: unknown[]): Backend {
  let found: Backend | null = null;
  for (const x of operands) {
    if (!(x instanceof MxArray)) continue;
    if (found === null) found = x.backend;
    else if (x.backend !== found) {
      throw new Error(
        `[${op}] Arrays from different backends ('${found.name}' and '${x.backend.name}') cannot be combined.`,
      );
    }
  }
  return found ?? currentBackend();
}

/** Wraps a new handle in an array, taking ownership. */
export function wrap(backend: Backend, handle: Handle): MxArray {
  return new MxArray(backend, handle);
}

/**
 * Runs `body` with handles for `operands`: arrays lend their own handle, JS scalars become
 * temporary 0-d arrays typed by the weak-scalar rule (against the first array operand) and
 * are freed afterwards.
 */
export function withHandles<T>(
  op: string,
  operands: readonly Operand[],
  body: (backend: Backend, handles: Handle[]) => T,
): T {
  if (!Array.isArray(operands)) throw new TypeError(`[${op}] Expected a list of arrays, got ${describeValue(operands)}.`);
  const backend = backendOf(op, ...operands);
  const first = operands.find((x): x is MxArray => x instanceof MxArray);
  first?.handleFor(op); // a freed operand's error names this op (reading its dtype would name 'dtype')
  const partner = first?.dtype ?? null;
  const handles: Handle[] = [];
  const temporaries: Handle[] = [];
  try {
    for (const x of operands) {
      if (x instanceof MxArray) handles.push(x.handleFor(op));
      else if (typeof x === 'number' || typeof x === 'boolean') {
        const h = backend.scalar(Number(x), weakScalarDtype(x, partner).code);
        temporaries.push(h);
        handles.push(h);
      } else {
        throw new TypeError(operandError(op, x));
      }
    }
    return body(backend, handles);
  } finally {
    for (const h of temporaries) backend.free(h);
  }
}

/**
 * The one scalar rule, the same on every backend: an operand is an array, a number or a
 * boolean. Strings are never numbers; a bigint is only data of a 64-bit integer array
 * (BigInt64Array / BigUint64Array given to mx.array), never a scalar operand.
 */
export function operandError(op: string, x: unknown): string {
  const hint = typeof x === 'bigint' ? ' (64-bit integer data comes as a BigInt64Array or BigUint64Array to mx.array)' : '';
  return `[${op}] Expected an array, number or boolean, got ${Array.isArray(x) ? describe(x) : describeValue(x)}${hint}.`;
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a JS array (use mx.array() first)';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}

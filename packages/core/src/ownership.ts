/**
 * Ownership of arrays by long-lived holders (nn modules, optimizers). A holder counts itself
 * on the arrays it stores; when it replaces or drops one and no holder is left, the array is
 * freed at once (unless the user keep()s it), so training loops stay flat in memory without
 * waiting for the garbage collector. Held arrays also survive the tidy() they were made in.
 */
import { MxArray } from './array.js';

/**
 * While mx.compile traces a function with state (`inputs`/`outputs`), holders are counted
 * but nothing is freed: the trace swaps placeholders in and out of modules and optimizers,
 * and compile settles ownership once the call's outputs are written back.
 */
let tracingState = 0;
/** While set, hold and release do nothing (compile putting placeholders in and taking them out). */
let ownershipOff = 0;

/** True while compile traces a function with state. */
export function isTracingState(): boolean {
  return tracingState > 0;
}

/** Runs `fn` with frees deferred (see tracingState). */
export function withTracingState<T>(fn: () => T): T {
  tracingState++;
  try {
    return fn();
  } finally {
    tracingState--;
  }
}

/** Runs `fn` with hold/release turned off: writes into modules and optimizers move no ownership. */
export function withoutOwnership<T>(fn: () => T): T {
  ownershipOff++;
  try {
    return fn();
  } finally {
    ownershipOff--;
  }
}

/** Counts one more holder of `x`. */
export function hold(x: MxArray): void {
  if (ownershipOff > 0) return;
  x.holders++;
}

/**
 * Counts one holder less; with none left (and not kept by the user) the array is freed now.
 * `reason` completes "Array was freed when ...", e.g. "Module.update replaced it".
 */
export function release(x: MxArray, reason: string): void {
  if (ownershipOff > 0) return;
  if (x.holders > 0) x.holders--;
  if (x.holders === 0 && !x.kept && tracingState === 0) x._freeBecause(reason);
}

/** True for an array that some module or optimizer holds. */
export function isHeld(x: unknown): boolean {
  return x instanceof MxArray && x.holders > 0;
}

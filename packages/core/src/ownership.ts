/**
 * Ownership of arrays by long-lived holders (nn modules, optimizers). A holder counts itself
 * on the arrays it stores; when it replaces or drops one and no holder is left, the array is
 * freed at once (unless the user keep()s it), so training loops stay flat in memory without
 * waiting for the garbage collector. Held arrays also survive the tidy() they were made in.
 */
import { MxArray } from './array.js';

/** Counts one more holder of `x`. */
export function hold(x: MxArray): void {
  x.holders++;
}

/**
 * Counts one holder less; with none left (and not kept by the user) the array is freed now.
 * `reason` completes "Array was freed when ...", e.g. "Module.update replaced it".
 */
export function release(x: MxArray, reason: string): void {
  if (x.holders > 0) x.holders--;
  if (x.holders === 0 && !x.kept) x._freeBecause(reason);
}

/** True for an array that some module or optimizer holds. */
export function isHeld(x: unknown): boolean {
  return x instanceof MxArray && x.holders > 0;
}

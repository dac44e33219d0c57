/**
 * Bookkeeping shared by the Array class and memory.ts, kept in its own module so that
 * array.ts needs nothing from the ops or memory modules (no import cycles).
 */

/** Anything a tidy scope can free. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

/** Open tidy scopes, innermost last. Arrays created while one is open are recorded in it. */
export const scopes: Set<Disposable>[] = [];

/** Records a newly created array in the innermost open scope. */
export function recordInScope(x: Disposable): void {
  scopes[scopes.length - 1]?.add(x);
}

/** Arrays created by this library and not yet disposed or collected, on all backends. */
let liveHostArrays = 0;

export function countArray(delta: number): void {
  liveHostArrays += delta;
}

/** The number of JS-side arrays still holding a core handle (used to guard backend switches). */
export function liveArrayCount(): number {
  return liveHostArrays;
}

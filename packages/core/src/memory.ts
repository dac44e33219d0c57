import { checkByteCount, checkFunction } from './arg-checks.js';
import { MxArray } from './array.js';
import { currentBackend } from './registry.js';
import { type Disposable, scopes } from './scope.js';
import { type Tree, arrayLeaves } from './tree.js';

/** Disposes every array in a tree (already disposed ones are skipped). */
export function dispose(tree: Tree): void {
  for (const x of arrayLeaves(tree)) x.dispose();
}

/**
 * Marks an array (or every array of a tree) as the user's: no enclosing tidy() disposes it
 * and no module or optimizer frees it when replacing it; only dispose() does. Returns its
 * argument.
 */
export function keep<T>(x: T): T {
  if (x instanceof MxArray) x.kept = true;
  else for (const a of arrayLeaves(x)) a.kept = true;
  return x;
}

/**
 * Runs `fn` and disposes every array created during it, except the arrays in the tree it
 * returns and those passed to keep(). Returned arrays then belong to the enclosing tidy
 * (if any). With an async `fn` the scope stays open until the Promise settles, so arrays
 * created meanwhile by unrelated code are attributed to it too: do not interleave
 * independent async tidies.
 */
export function tidy<T>(fn: () => T): T {
  checkFunction('tidy', 'fn', fn);
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close(scope, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        close(scope, value);
        return value;
      },
      (e: unknown) => {
        close(scope, undefined);
        throw e;
      },
    ) as T;
  }
  close(scope, result);
  return result;
}

function close(scope: Set<Disposable>, result: unknown): void {
  // Remove this scope wherever it is: async scopes may close out of order.
  const at = scopes.lastIndexOf(scope);
  if (at >= 0) scopes.splice(at, 1);
  const survivors = new Set<Disposable>(arrayLeaves(result));
  for (const x of scope) {
    if (!survivors.has(x) && !(x instanceof MxArray && (x.kept || x.holders > 0))) x.dispose();
  }
  const parent = at > 0 ? scopes[at - 1] : undefined;
  if (parent !== undefined) for (const x of survivors) if (scope.has(x)) parent.add(x);
}

/** Memory counters of the current backend, in bytes; liveArrays counts core arrays. */
export interface MemoryInfo {
  /** Arrays alive in the core, including graph nodes that no JS array names. */
  liveArrays: number;
  activeBytes: number;
  peakBytes: number;
  cacheBytes: number;
}

export function memory(): MemoryInfo {
  const s = currentBackend().memoryStats();
  return {
    liveArrays: s.liveArrays,
    activeBytes: s.activeBytes,
    peakBytes: s.peakBytes,
    cacheBytes: s.cacheBytes,
  };
}

/** Frees the allocator's cache of reusable buffers. */
export function clearCache(): void {
  currentBackend().clearCache();
}

/**
 * Sets the memory limit in bytes (allocations beyond it fail with an Error) and returns the
 * previous limit, as MLX does. 0 restores the backend's default limit; NaN, negative and
 * fractional values are errors.
 */
export function setMemoryLimit(bytes: number): number {
  checkByteCount('set_memory_limit', bytes);
  const backend = currentBackend();
  const previous = backend.memoryStats().memoryLimit;
  backend.setMemoryLimit(bytes);
  return previous;
}

/**
 * Sets how many bytes of freed buffers the allocator may keep for reuse (0: none); NaN,
 * negative and fractional values are errors.
 */
export function setCacheLimit(bytes: number): void {
  checkByteCount('set_cache_limit', bytes);
  currentBackend().setCacheLimit(bytes);
}

/** Makes peakBytes start again from the current activeBytes. */
export function resetPeakMemory(): void {
  currentBackend().resetPeakMemory();
}

/**
 * Threads: how many threads the current backend's kernels use. Large matmuls, element-wise
 * ops and reductions are split over a pool of that many threads (the calling thread
 * included); small ones run on the calling thread. In Node the wasm backend runs its pool on
 * worker_threads and the native backend on native threads; browsers need a cross-origin
 * isolated page (COOP/COEP headers, for SharedArrayBuffer), and otherwise run one thread.
 */
import { describeValue } from './arg-checks.js';
import type { ThreadingInfo } from './backend.js';
import { currentBackend } from './registry.js';

export type { ThreadingInfo };

/** The most threads a pool takes (the calling thread included). */
export const MAX_THREADS = 64;

function checkCount(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(`[setNumThreads] The thread count must be an integer from 1 to ${MAX_THREADS}, got ${describeValue(n)}.`);
  }
}

/**
 * Sets the number of threads kernels use (1 to 64, the calling thread included). The
 * default is min(hardware threads, 4). Returns a promise that resolves once the workers
 * are running (kernels use the ones already running meanwhile); on a backend without
 * threads the count stays 1 (see threadingInfo()).
 */
export function setNumThreads(n: number): Promise<void> {
  checkCount(n);
  const backend = currentBackend();
  if (backend.setNumThreads === undefined) return Promise.resolve();
  return Promise.resolve(backend.setNumThreads(n));
}

/** The number of threads kernels use (1 on a backend without threads). */
export function getNumThreads(): number {
  return currentBackend().threadingInfo?.().threads ?? 1;
}

/** The threading mode of the current backend, its thread count and why. */
export function threadingInfo(): ThreadingInfo {
  const backend = currentBackend();
  return backend.threadingInfo?.() ?? {
    mode: 'single', threads: 1, workers: 0, reason: `the ${backend.name} backend has no threads`,
    asyncEval: 'steps', asyncEvalReason: `the ${backend.name} backend has no threads`,
  };
}

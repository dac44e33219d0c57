import type { Backend, Handle } from './backend.js';
import { type Tree, treeFlatten } from './tree.js';

/** Computes every array in the given trees. */
export function evaluate(...trees: Tree[]): void {
  const byBackend = new Map<Backend, Handle[]>();
  for (const x of treeFlatten(trees)) {
    const list = byBackend.get(x.backend);
    if (list === undefined) byBackend.set(x.backend, [x.handle]);
    else list.push(x.handle);
  }
  for (const [backend, handles] of byBackend) backend.eval(handles);
}

/**
 * Starts computing the given trees; the Promise resolves when they are ready. For now the
 * work runs synchronously before the Promise is returned (no backend runs it elsewhere yet).
 */
export async function asyncEval(...trees: Tree[]): Promise<void> {
  evaluate(...trees);
}

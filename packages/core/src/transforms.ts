import type { Backend, Handle } from './backend.js';
import { type Tree, arrayLeaves } from './tree.js';

/** Computes every array in the given trees. */
export function evaluate(...trees: Tree[]): void {
  const byBackend = new Map<Backend, Handle[]>();
  for (const x of arrayLeaves(trees)) {
    const list = byBackend.get(x.backend);
    if (list === undefined) byBackend.set(x.backend, [x.handleFor('eval')]);
    else list.push(x.handleFor('eval'));
  }
  for (const [backend, handles] of byBackend) backend.eval(handles);
}

/** Kernels run per step of asyncEval before it yields to the event loop. */
const STEP_BUDGET = 8;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Computes the given trees without blocking the event loop: on a thread of its own where the
 * backend has one (native, metal, wasm's threads build), polled between event-loop turns;
 * otherwise (the single-thread wasm module) the core evaluates the graph in steps and control
 * returns to the host in between, so a single large kernel still runs at once
 * (`threadingInfo().asyncEval` says which). Reading a value meanwhile waits for or computes
 * what it needs synchronously.
 * Calling it inside a transform is an error.
 */
export async function asyncEval(...trees: Tree[]): Promise<void> {
  const byBackend = new Map<Backend, Handle[]>();
  for (const x of arrayLeaves(trees)) {
    const list = byBackend.get(x.backend);
    if (list === undefined) byBackend.set(x.backend, [x.handleFor('asyncEval')]);
    else list.push(x.handleFor('asyncEval'));
  }
  // Every session begins before the first await, so the arrays are captured now.
  const sessions = [...byBackend].map(([backend, handles]) => [backend, backend.evalBegin(handles)] as const);
  try {
    for (const [backend, session] of sessions) {
      while (!backend.evalStep(session, STEP_BUDGET)) await yieldToHost();
    }
  } finally {
    for (const [backend, session] of sessions) backend.evalEnd(session);
  }
}

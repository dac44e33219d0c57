import { MxArray } from './array.js';
import type { Backend, Handle, HostFunction } from './backend.js';
import { tidy } from './memory.js';
import { currentBackend } from './registry.js';

/** A JS function over arrays that the core may call (transforms build on this). */
export type ArrayFunction = (inputs: MxArray[]) => MxArray[];

/**
 * Adapts an array function to the handle level of the Backend. The core hands over NEW
 * input handles, which become arrays owned by this call; the outputs are returned as fresh
 * handles (retained) so the function's own arrays can be freed with everything else it
 * created, while arrays it closed over stay untouched.
 */
export function hostFunction(backend: Backend, fn: ArrayFunction): HostFunction {
  return (handles: Handle[]): Handle[] =>
    tidy(() => {
      const inputs = handles.map((h) => new MxArray(backend, h));
      const outputs = fn(inputs);
      return outputs.map((o) => backend.retain(o.handle));
    });
}

let liveClosures = 0;

/**
 * Test hook (internal): wraps `fn` in a core closure, applies it to `inputs` through the C
 * ABI and frees the closure. Lets the suite check that the core calls JS back, that an
 * Error thrown by `fn` comes out as the same object, and (with _liveClosureCount) that the
 * core releases the host function.
 */
export function _closureApply(fn: ArrayFunction, inputs: MxArray[]): MxArray[] {
  const backend = inputs[0]?.backend ?? currentBackend();
  liveClosures++;
  const c = backend.closureNew(hostFunction(backend, fn), () => liveClosures--);
  try {
    return backend.closureApply(c, inputs.map((x) => x.handle)).map((h) => new MxArray(backend, h));
  } finally {
    backend.closureFree(c);
  }
}

/** Test hook (internal): closures made by _closureApply that the core has not released. */
export function _liveClosureCount(): number {
  return liveClosures;
}

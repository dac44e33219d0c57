// What the fuzzer calls: every exported function of mx, mx.linalg, mx.random and mx.fast,
// except the few that act outside the array world (files, backends, thread pools) or that
// free arrays on purpose (dispose: the fuzzer's own pool would go).
import * as mx from 'mlxjs';

/** Left out, with why. */
export const EXCLUDED: Readonly<Record<string, string>> = {
  init: 'switches backends',
  registerBackend: 'changes the backend registry',
  dispose: 'frees arrays on purpose (the pool)',
  save: 'writes files',
  savez: 'writes files',
  savezCompressed: 'writes files',
  saveSafetensors: 'writes files',
  saveGguf: 'writes files',
  load: 'reads files',
  loadAsync: 'reads files',
  setNumThreads: 'rebuilds thread pools (slow); checked by its own tests',
  defineRepr: 'patches printing of the given object',
};

/** Functions whose result names the backend or counts its history (kernelCount): not compared across backends. */
export const BACKEND_SPECIFIC: ReadonlySet<string> = new Set(['backendName', 'currentBackend', 'threadingInfo', 'getNumThreads', 'availableBackends', 'kernelCount']);

export interface Target {
  name: string;
  fn: (...args: unknown[]) => unknown;
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

function collect(prefix: string, ns: Record<string, unknown>): Target[] {
  return Object.keys(ns)
    .sort()
    .filter((k) => typeof ns[k] === 'function' && !k.startsWith('_') && !isClass(ns[k]) && EXCLUDED[prefix + k] === undefined)
    .map((k) => ({ name: prefix + k, fn: ns[k] as (...args: unknown[]) => unknown }));
}

/** Every fuzzed function, in a fixed order (the call generator indexes it). */
export function targets(): Target[] {
  const root = mx as unknown as Record<string, unknown>;
  return [
    ...collect('', root),
    ...collect('linalg.', root['linalg'] as Record<string, unknown>),
    ...collect('random.', root['random'] as Record<string, unknown>),
    ...collect('fast.', root['fast'] as Record<string, unknown>),
  ];
}

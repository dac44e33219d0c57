import type { Handle } from '@mlxjs/core';

/**
 * The functions the addon (src/binding.cpp) exports: one per mlxc_* call, with handles as
 * numbers and vectors as arrays. A failing core call throws Error(mlxc_last_error()).
 */
export interface Addon {
  /** Registers the JS side of the host callbacks (closures). */
  setHost(call: (id: number, inputs: Handle[]) => Handle[] | null, release: (id: number) => void): void;
  clearError(): void;
  opCount(): number;
  opName(id: number): string;
  opSchema(id: number): string;
  opId(name: string): number;
  op(id: number, inputs: readonly Handle[], ints: readonly number[], reals: readonly number[]): Handle[];
  vjp(fn: Handle, primals: readonly Handle[], cotangents: readonly Handle[]): [Handle[], Handle[]];
  jvp(fn: Handle, primals: readonly Handle[], tangents: readonly Handle[]): [Handle[], Handle[]];
  valueAndGrad(fn: Handle, primals: readonly Handle[]): [Handle[], Handle[]];
  customFunction(fn: Handle, vjp: Handle, jvp: Handle, vmap: Handle, args: readonly Handle[]): Handle[];
  checkpoint(fn: Handle, args: readonly Handle[]): Handle[];
  vmap(fn: Handle, inputs: readonly Handle[], inAxes: readonly number[]): [Handle[], number[]];
  compile(fn: Handle, shapeless: boolean): Handle;
  kernelCount(): number;
  fromData(bytes: Uint8Array, shape: readonly number[], dtype: number): Handle;
  scalar(value: number, dtype: number): Handle;
  free(h: Handle): void;
  retain(h: Handle): Handle;
  shape(h: Handle): number[];
  dtype(h: Handle): number;
  size(h: Handle): number;
  read(h: Handle): Uint8Array;
  eval(handles: readonly Handle[]): void;
  evalBegin(handles: readonly Handle[]): Handle;
  evalStep(session: Handle, budget: number): boolean;
  evalEnd(session: Handle): void;
  /** Evaluates on a worker thread; rejects with the core's Error. */
  evalAsync(handles: readonly Handle[]): Promise<void>;
  /** true when the addon was built with Metal and found a device, else why not. */
  metalStatus(): true | string;
  /** Where the next evaluations run: 'metal' (GPU kernels, CPU fallback) or 'cpu'. */
  setDevice(device: 'metal' | 'cpu'): void;
  closureNew(id: number): Handle;
  closureApply(c: Handle, inputs: readonly Handle[]): Handle[];
  closureFree(c: Handle): void;
  /** active bytes, peak bytes, cache bytes, live arrays, memory limit. */
  memoryStats(): number[];
  setMemoryLimit(bytes: number): void;
  setCacheLimit(bytes: number): void;
  clearCache(): void;
  resetPeakMemory(): void;
  setNumThreads(n: number): void;
  /** [threads set, workers running]. */
  threadCounts(): [number, number];
}

/** Where node-gyp puts the addon, relative to this file (the same from src/ and dist/). */
export const addonUrl = (): URL => new URL('../build/Release/mlxjs_native.node', import.meta.url);

type GetBuiltin = (id: string) => unknown;

let loaded: Addon | null = null;
let failure: string | null = null;

/**
 * Loads the addon once (synchronously: availability checks are synchronous). Returns the
 * addon, or the reason it cannot load. Node's module loader is reached through
 * process.getBuiltinModule so this file has no static Node import (bundlers for browsers
 * can include it; there it is simply unavailable).
 */
export function loadAddon(): Addon | string {
  if (loaded !== null) return loaded;
  if (failure !== null) return failure;
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: GetBuiltin } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    failure = 'the native addon needs Node.js';
  } else if (typeof proc.getBuiltinModule !== 'function') {
    failure = 'the native addon needs Node.js >= 20.16 (process.getBuiltinModule)';
  } else {
    const mod = proc.getBuiltinModule('node:module') as { createRequire(url: string | URL): (id: string) => unknown };
    const url = (proc.getBuiltinModule('node:url') as { fileURLToPath(u: URL): string }).fileURLToPath(addonUrl());
    try {
      loaded = mod.createRequire(import.meta.url)(url) as Addon;
      return loaded;
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      failure = (e as { code?: string }).code === 'MODULE_NOT_FOUND'
        ? `the native addon is not built (${url} is missing; run \`npm run build:native\`)`
        : `the native addon failed to load: ${why}`;
    }
  }
  return failure;
}

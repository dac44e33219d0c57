import type { CoreExports, Handle } from '@mlxjs/core';

/**
 * What the addon (src/binding.cpp) exports: every mlxc_* function of the C ABI under its C
 * name, registered generically from mlxc.h (so it takes exactly the wasm export's
 * arguments: numbers, pointers as offsets into the scratch area, and returns the status),
 * plus the few functions only a native host has.
 */
export interface Addon extends CoreExports {
  /** The core's scratch area (mlxc_scratch()) as an ArrayBuffer over the same memory. */
  scratch(): ArrayBuffer;
  /** The host callbacks: hostCall(id, inputs vector, outputs vector) -> status, and release. */
  setHost(call: (id: number, inputs: Handle, outputs: Handle) => number, release: (id: number) => void): void;
  /** A copy of the bytes of `h`, an evaluated row-contiguous array. */
  arrayRead(h: Handle): Uint8Array;
  /**
   * Copies `bytes` into the elements of evaluated array `h`: exactly the array's byte size,
   * or, given `byteOffset`, any run that fits from there (chunked loading).
   */
  arrayWrite(h: Handle, bytes: Uint8Array, byteOffset?: number): void;
  /**
   * Runs what eval session `session` has left on a libuv worker thread (under the core
   * lock); resolves, or rejects with the core's Error. The caller frees the session.
   */
  evalAsync(session: Handle): Promise<void>;
  /** true when the addon was built with Metal and found a device, else why not. */
  metalStatus(): true | string;
  /** Where the next evaluations run: 'metal' (GPU kernels, CPU fallback) or 'cpu'. */
  setDevice(device: 'metal' | 'cpu'): void;
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

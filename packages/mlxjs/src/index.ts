/**
 * mlxjs: MLX for JavaScript. `import * as mx from 'mlxjs'`, then `await mx.init()`.
 *
 * This package is the user-facing surface: everything from @mlxjs/core, plus the backends
 * registered with their priorities. wasm runs everywhere and has the lowest priority;
 * the native addon (Node only, an optional dependency that may have failed to build or be
 * absent) registers above it, so init() picks it whenever it loads; on macOS the same
 * addon, built with Metal and finding a device, also registers `metal` above both.
 */
import { registerBackend } from '@mlxjs/core';
import { loadWasmBackend, wasmAvailable } from '@mlxjs/backend-wasm';

/** Backend priorities: higher wins in init(). */
export const backendPriority = { wasm: 0, native: 10, metal: 20 } as const;

registerBackend('wasm', backendPriority.wasm, loadWasmBackend, wasmAvailable);

// The optional package is imported dynamically: when it is not installed, mlxjs still
// loads and availableBackends() says why native is missing.
type NativeModule = typeof import('@mlxjs/backend-native');
const native: NativeModule | string = await import('@mlxjs/backend-native').catch(
  (e: unknown) => `the optional package @mlxjs/backend-native is not installed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
);
registerBackend(
  'native',
  backendPriority.native,
  async () => {
    if (typeof native === 'string') throw new Error(`[mlxjs] ${native}.`);
    return native.loadNativeBackend();
  },
  () => (typeof native === 'string' ? native : native.nativeAvailable()),
);
registerBackend(
  'metal',
  backendPriority.metal,
  async () => {
    if (typeof native === 'string') throw new Error(`[mlxjs] ${native}.`);
    return native.loadMetalBackend();
  },
  () => (typeof native === 'string' ? native : native.metalAvailable()),
);

export * from '@mlxjs/core';
export * as nn from './nn/index.js';
export * as optimizers from './optimizers/index.js';

/**
 * mlxjs: MLX for JavaScript. `import * as mx from 'mlxjs'`, then `await mx.init()`.
 *
 * This package is the user-facing surface: everything from @mlxjs/core, plus the backends
 * registered with their priorities. wasm runs everywhere and has the lowest priority;
 * the native addon (Node only, an optional dependency that may have failed to build or be
 * absent) registers above it, so init() picks it whenever it loads.
 */
import { registerBackend } from '@mlxjs/core';
import { loadWasmBackend, wasmAvailable } from '@mlxjs/backend-wasm';

/** Backend priorities: higher wins in init(). */
export const backendPriority = { wasm: 0, native: 10 } as const;

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

export * from '@mlxjs/core';

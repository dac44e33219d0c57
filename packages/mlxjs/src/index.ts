/**
 * mlxjs: MLX for JavaScript. `import * as mx from 'mlxjs'`, then `await mx.init()`.
 *
 * This package is the user-facing surface: everything from @mlxjs/core, plus the backends
 * registered with their priorities. wasm runs everywhere and has the lowest priority;
 * faster backends (native, metal) register above it when they exist.
 */
import { registerBackend } from '@mlxjs/core';
import { loadWasmBackend, wasmAvailable } from '@mlxjs/backend-wasm';

/** Backend priorities: higher wins in init(). */
export const backendPriority = { wasm: 0 } as const;

registerBackend('wasm', backendPriority.wasm, loadWasmBackend, wasmAvailable);

export * from '@mlxjs/core';

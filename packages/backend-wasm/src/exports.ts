import type { CoreExports } from '@mlxjs/core';

/**
 * The wasm module's exports: the C ABI every backend shares (CoreExports, @mlxjs/core) plus
 * what only linear memory has: the memory itself, where the scratch area is, and where an
 * array's elements are (the backend copies bytes there directly).
 */
export interface WasmExports extends CoreExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  mlxc_scratch(): number;
  mlxc_array_data(a: number): number;
}

/** Functions the backend cannot work without; checked at load for a clear error. */
export const REQUIRED_EXPORTS: readonly (keyof WasmExports)[] = [
  'memory', 'mlxc_last_error', 'mlxc_scratch', 'mlxc_array_free', 'mlxc_array_new_empty',
  'mlxc_array_data', 'mlxc_op', 'mlxc_op_vector', 'mlxc_op_id', 'mlxc_eval', 'mlxc_closure_apply',
  'mlxc_memory_stats',
];

/** @mlxjs/backend-wasm: the mlxjs Backend running the C++ core compiled to WebAssembly. */
export { WasmBackend, loadWasmBackend, wasmAvailable } from './wasm-backend.js';
export { defaultWasmUrl, compileCore, wasmAssets } from './load.js';
export { WasmExit } from './imports.js';

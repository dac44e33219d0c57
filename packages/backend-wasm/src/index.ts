/** @mlxjs/backend-wasm: the mlxjs Backend running the C++ core compiled to WebAssembly. */
export { WasmBackend, loadWasmBackend, wasmAvailable, type WasmLoadOptions } from './wasm-backend.js';
export { threadsUnsupported } from './threads.js';
export { defaultWasmUrl, defaultWasmMtUrl, compileCore, wasmAssets } from './load.js';
export { WasmExit } from './imports.js';

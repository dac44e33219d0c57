// mlxjs on its wasm backend with 2 threads (the pool's workers share the wasm memory).
import { load as loadThreads } from './mlxjs.mjs';

export { version } from './mlxjs.mjs';
export const load = () => loadThreads('wasm', 2);

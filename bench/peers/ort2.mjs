// onnxruntime-web's wasm execution provider with 2 threads.
import { load as loadThreads } from './ort.mjs';

export { version } from './ort.mjs';
export const load = () => loadThreads(2);

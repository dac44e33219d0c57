// mlxjs on its native backend (the Node addon, packages/backend-native): the same cases as
// bench/peers/mlxjs.mjs. Its matmul goes through OpenBLAS when the addon was built with it
// (OPENBLAS_NUM_THREADS, set by bench/run.mjs, fixes the threads for it and numpy alike).
import { load as loadMlxjs, version } from './mlxjs.mjs';

export { version };

export async function load() {
  const { nativeAvailable } = await import('@mlxjs/backend-native');
  const ok = nativeAvailable();
  if (ok !== true) throw new Error(`native backend unavailable: ${ok}`);
  const impl = await loadMlxjs('native');
  return { ...impl, mode: `native addon, OpenBLAS threads ${process.env.OPENBLAS_NUM_THREADS ?? 'default'}` };
}

// Builds packages/backend-wasm/wasm/mlxjs-core.wasm from core-cpp with emscripten.
// Incremental: only changed sources are recompiled.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cmakeBuild, emscripten, root, run } from './toolchain.mjs';

const buildDir = path.join(root, 'build', 'wasm');
mkdirSync(buildDir, { recursive: true });

// The module exports exactly the functions declared MLXC_API in mlxc.h and mlxc_threads.h,
// read by the same script that gives the native addon its list (the host callbacks setter
// is native-only: the wasm build imports its callbacks).
const { abiFunctions } = createRequire(import.meta.url)('../packages/backend-native/scripts/abi-exports.cjs');
const names = abiFunctions(path.join(root, 'core-cpp', 'include'));
const exportsFile = path.join(buildDir, 'exports.txt');
const list = names.map((n) => `_${n}`).join('\n') + '\n';
let previous = '';
try {
  previous = readFileSync(exportsFile, 'utf8');
} catch {}
if (previous !== list) writeFileSync(exportsFile, list);

const { emcmake, env } = emscripten();
run(emcmake, ['cmake', '-S', path.join(root, 'wasm'), '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release',
  `-DMLX_EXPORTS_FILE=${exportsFile}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
cmakeBuild(buildDir, env);

const outDir = path.join(root, 'packages', 'backend-wasm', 'wasm');
mkdirSync(outDir, { recursive: true });
copyFileSync(path.join(buildDir, 'mlxjs-core.wasm'), path.join(outDir, 'mlxjs-core.wasm'));
// Only the module of the threads build is shipped; its emscripten JS glue is not used.
copyFileSync(path.join(buildDir, 'mlxjs-core-mt.wasm'), path.join(outDir, 'mlxjs-core-mt.wasm'));
console.log(`[build-wasm] ${names.length} exports -> packages/backend-wasm/wasm/mlxjs-core.wasm, mlxjs-core-mt.wasm`);

// Builds the native addon with node-gyp (run by `npm install` and `npm run build:native`).
// The addon is optional: when it cannot be built (no C++ compiler, no Node headers) this
// prints why and exits 0, so `npm install` succeeds and mlxjs uses the wasm backend. (The
// optionalDependencies entry in mlxjs is not enough inside this repository: npm treats every
// workspace as a required dependency of the root, and a failing install script of one fails
// `npm install`.)
// MLXJS_NATIVE=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(pkg, 'build', 'Release', 'mlxjs_native.node');
const tag = '[mlxjs-native]';

if (process.env.MLXJS_NATIVE === '0') {
  console.log(`${tag} MLXJS_NATIVE=0: not building the native addon (mlxjs will use wasm).`);
  process.exit(0);
}

// npm passes its bundled node-gyp to lifecycle scripts; outside npm look beside npm.
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return [process.execPath, [c]];
  return ['node-gyp', []];
}

// Node's headers: npm's nodedir setting, else the ones installed beside this node (a
// distribution's package), else node-gyp downloads them.
function nodeDirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.join(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${path.resolve(prefix)}`] : [];
}

function gyp(args) {
  const [cmd, pre] = nodeGyp();
  const r = spawnSync(cmd, [...pre, ...args, ...nodeDirArgs()], { cwd: pkg, stdio: 'inherit' });
  if (r.error) throw new Error(`cannot run node-gyp (${r.error.message})`);
  if (r.status !== 0) throw new Error(`node-gyp ${args[0]} failed (exit ${r.status ?? r.signal})`);
}

const started = Date.now();
// OpenBLAS for matmul (apt-installs libopenblas-dev on Debian/Ubuntu when missing); never
// throws: without it the core's GEMM is compiled in.
try {
  const { openblas } = await import('../../../scripts/toolchain.mjs');
  console.log(`${tag} OpenBLAS: ${openblas() ? 'found (matmul uses cblas_sgemm/dgemm)' : "not found (matmul uses the core's GEMM)"}.`);
} catch (e) {
  console.warn(`${tag} OpenBLAS check failed (${e instanceof Error ? e.message : String(e)}).`);
}
try {
  // Configure again when the core's source list changed (a new .cpp file); make then
  // rebuilds only what changed.
  // (The BLAS found is part of the stamp: installing OpenBLAS later reconfigures.)
  const sources =
    spawnSync(process.execPath, [path.join(pkg, 'scripts', 'core-sources.cjs')], { encoding: 'utf8' }).stdout +
    spawnSync(process.execPath, [path.join(pkg, 'scripts', 'blas.cjs')], { encoding: 'utf8' }).stdout;
  const stamp = path.join(pkg, 'build', 'sources.txt');
  const configured = existsSync(path.join(pkg, 'build', 'Makefile')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sources;
  // The Metal kernels as a C string for the macOS build (harmless elsewhere).
  const gen = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'metal-source.cjs')], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('scripts/metal-source.cjs failed');
  // The C ABI's function list, which src/binding.cpp registers (build/gen/mlxc_exports.inc).
  const abi = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'abi-exports.cjs')], { stdio: 'inherit' });
  if (abi.status !== 0) throw new Error('scripts/abi-exports.cjs failed');
  if (!configured) {
    gyp(['configure']);
    writeFileSync(stamp, sources);
  }
  gyp(['build', '--jobs', 'max']);
  // A shared library links with undefined symbols: loading it is the real check.
  createRequire(import.meta.url)(addon);
  console.log(`${tag} built ${path.relative(process.cwd(), addon)} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
} catch (e) {
  rmSync(addon, { force: true });
  console.warn(`${tag} The native addon was not built: ${e instanceof Error ? e.message : String(e)}.`);
  console.warn(`${tag} mlxjs works without it (the wasm backend); see packages/backend-native/README.md.`);
}

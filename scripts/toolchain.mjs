// Finds (and on Debian/Ubuntu installs) the build tools: emscripten for the wasm module,
// cmake and a C++ compiler for the native build. Shared by the build scripts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

function isDebianLike() {
  try {
    const osr = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(osr);
  } catch {
    return false;
  }
}

function aptInstall(packages) {
  const isRoot = process.getuid && process.getuid() === 0;
  const prefix = isRoot ? [] : which('sudo') ? ['sudo'] : null;
  if (!prefix) {
    throw new Error(`Please install ${packages.join(' ')} (apt-get install ${packages.join(' ')}) and retry.`);
  }
  console.log(`[setup] installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = [...prefix, 'apt-get'];
  run(cmd, [...pre, 'update', '-qq'], { env });
  run(cmd, [...pre, 'install', '-y', '-qq', ...packages], { env });
}

// Returns { emcc, emcmake, env } for running emscripten. Honours $EMSDK; otherwise uses
// emcc on PATH, installing Debian's emscripten when it is missing.
export function emscripten() {
  const env = { ...process.env };
  if (process.env.EMSDK) {
    const dir = path.join(process.env.EMSDK, 'upstream', 'emscripten');
    const emcmake = path.join(dir, 'emcmake');
    if (!existsSync(emcmake)) throw new Error(`$EMSDK is set but ${emcmake} does not exist.`);
    return { emcmake, env };
  }
  if (!which('emcmake')) {
    if (!isDebianLike()) {
      throw new Error(
        'emscripten was not found. Install it (https://emscripten.org, then `source emsdk_env.sh` ' +
          'so that $EMSDK is set, or put emcc/emcmake on PATH) and run `npm install` again.',
      );
    }
    aptInstall(['emscripten', 'node-acorn']);
  }
  // Debian's emcc runs its JS tools with the system's node modules.
  if (existsSync('/usr/share/nodejs')) {
    env.NODE_PATH = ['/usr/share/nodejs', env.NODE_PATH].filter(Boolean).join(':');
  }
  return { emcmake: which('emcmake'), env };
}

// Returns the path of the Chromium the browser tests drive through playwright-core: $MLXJS_CHROMIUM,
// else Debian's /usr/bin/chromium, installed with apt-get when it is missing (Playwright's
// own browser download is never used: it cannot work on machines without general internet).
export function chromium() {
  const wanted = process.env.MLXJS_CHROMIUM || '/usr/bin/chromium';
  if (existsSync(wanted)) return wanted;
  if (process.env.MLXJS_CHROMIUM) throw new Error(`$MLXJS_CHROMIUM is set but ${wanted} does not exist.`);
  if (!isDebianLike()) {
    throw new Error('Chromium was not found at /usr/bin/chromium. Install it, or set MLXJS_CHROMIUM to a Chromium or Chrome binary.');
  }
  aptInstall(['chromium']);
  if (!existsSync(wanted)) throw new Error(`apt-get installed chromium but ${wanted} does not exist.`);
  return wanted;
}

export function nativeTools() {
  const missing = ['cmake', 'make', 'g++'].filter((t) => !which(t));
  if (missing.length) {
    if (!isDebianLike()) throw new Error(`Please install ${missing.join(', ')}.`);
    aptInstall(['cmake', 'make', 'g++']);
  }
}

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function cmakeBuild(buildDir, extraEnv) {
  execFileSync('cmake', ['--build', buildDir, '--parallel', '2'], { stdio: 'inherit', env: extraEnv });
}

// OpenBLAS for the native addon's float32/float64 matmul (cblas_sgemm/dgemm). Optional:
// on Debian/Ubuntu it installs libopenblas-dev when no cblas.h is found; anywhere else, or
// when apt-get fails, it returns false and the core's own GEMM is used (never throws, so it
// cannot fail `npm install`). MLXJS_BLAS=0 skips it.
export function openblas() {
  if (process.env.MLXJS_BLAS === '0') return false;
  const have = () =>
    ['/usr/include/cblas.h', '/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/aarch64-linux-gnu/cblas.h', '/usr/include/openblas/cblas.h'].some(
      (p) => existsSync(p),
    );
  if (have() || process.platform !== 'linux' || !isDebianLike()) return have();
  try {
    aptInstall(['libopenblas-dev']);
  } catch (e) {
    console.warn(`[setup] libopenblas-dev was not installed (${e instanceof Error ? e.message : e}); matmul uses the core's GEMM.`);
  }
  return have();
}

// The Metal backend (core-cpp/src/backend/metal/metal_backend.mm) compiles only on macOS. Here its
// Objective-C++ is checked by clang's parser and type checker (-fsyntax-only, ARC, blocks,
// the macOS Objective-C runtime) against stand-in Foundation/Metal headers
// (core-cpp/src/backend/metal/shim/objc: only the declarations the file uses) and the MSL header the
// addon's install step generates (packages/backend-native/build/gen). That catches syntax,
// type and C++ errors, and calls to Metal methods the stand-ins do not declare; it cannot
// catch a stand-in that differs from the real API (macos.yml builds against the real SDK).
// clang comes with emscripten: Debian's depends on clang-14 (`npm install` brings it); emsdk
// ($EMSDK) ships its own clang++.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, run } from './toolchain.mjs';

const candidates = [
  ...(process.env.EMSDK ? [path.join(process.env.EMSDK, 'upstream', 'bin', 'clang++')] : []),
  'clang++-14',
  'clang++',
];
const clang = candidates.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
if (clang === undefined) {
  throw new Error('[check-metal-objc] No clang++ found (Debian: apt-get install clang-14, which emscripten brings).');
}
const gen = path.join(root, 'packages', 'backend-native', 'build', 'gen');
if (!existsSync(path.join(gen, 'metal_kernels_source.h'))) {
  run(process.execPath, [path.join(root, 'packages', 'backend-native', 'scripts', 'metal-source.cjs')]);
}
const src = path.join(root, 'core-cpp', 'src');
run(clang, [
  '-std=c++17', '-fsyntax-only', '-x', 'objective-c++', '-fblocks', '-fobjc-runtime=macosx-11.0', '-fobjc-arc',
  '-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter', '-DMLX_METAL',
  '-I', path.join(src, 'backend', 'metal', 'shim', 'objc'), '-I', gen, '-I', src,
  '-I', path.join(root, 'core-cpp', 'include'),
  path.join(src, 'backend', 'metal', 'metal_backend.mm'),
]);
console.log(`[check-metal-objc] metal_backend.mm passes ${clang} -fsyntax-only (ARC) against the stand-in headers.`);

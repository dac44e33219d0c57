// npm run test:sanitize: builds the C++ core and its unit tests with the sanitizers and runs
// them: AddressSanitizer + UndefinedBehaviorSanitizer in one build (build/asan), then
// ThreadSanitizer (build/tsan). Any report fails the run (UBSan does not recover, ASan and
// TSan exit non-zero). `--only=asan` or `--only=tsan` runs one of the two.
import path from 'node:path';
import { cmakeBuild, nativeTools, root, run } from './toolchain.mjs';

const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
const builds = [
  {
    name: 'asan',
    flags: '-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer',
    env: { ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' },
  },
  {
    name: 'tsan',
    flags: '-fsanitize=thread',
    env: { TSAN_OPTIONS: 'halt_on_error=1:second_deadlock_stack=1' },
  },
].filter((b) => !only || b.name === only);

nativeTools();
for (const b of builds) {
  const buildDir = path.join(root, 'build', b.name);
  run('cmake', ['-S', path.join(root, 'core-cpp'), '-B', buildDir, '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    `-DCMAKE_CXX_FLAGS=${b.flags}`, `-DCMAKE_EXE_LINKER_FLAGS=${b.flags}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  cmakeBuild(buildDir);
  console.log(`[test:sanitize] ${b.name}: running the C++ unit tests`);
  run(path.join(buildDir, 'mlxcore_tests'), [], { env: { ...process.env, ...b.env } });
}
console.log(`[test:sanitize] ${builds.map((b) => b.name).join(' and ')}: no reports`);

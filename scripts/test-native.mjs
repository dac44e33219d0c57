// Builds core-cpp natively and runs its C++ unit tests.
import path from 'node:path';
import { cmakeBuild, nativeTools, root, run } from './toolchain.mjs';

nativeTools();
const buildDir = path.join(root, 'build', 'native');
run('cmake', ['-S', path.join(root, 'core-cpp'), '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
cmakeBuild(buildDir);
run(path.join(buildDir, 'mlxcore_tests'), []);

// Emits each package's .d.ts files into its dist/ with the TypeScript compiler.
import path from 'node:path';
import { root, run } from './toolchain.mjs';

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
for (const name of ['core', 'backend-wasm', 'backend-native', 'mlxjs']) {
  run(process.execPath, [tsc, '-p', path.join(root, 'packages', name, 'tsconfig.json'),
    '--emitDeclarationOnly', '--declaration', '--outDir', path.join(root, 'packages', name, 'dist')]);
}

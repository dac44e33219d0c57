// Builds every package under packages/ to ESM in its dist/ folder. Types come from
// `tsc --emitDeclarationOnly` (scripts/build-types.mjs); the wasm module stays beside the
// package in wasm/ and is found at run time through new URL(..., import.meta.url).
import esbuild from 'rollup-plugin-esbuild';

const packages = ['core', 'backend-wasm', 'backend-native', 'mlxjs'];

// Workspace packages and Node built-ins are imported, never bundled into each other.
const external = (id) => id.startsWith('@mlxjs/') || id === 'mlxjs' || id.startsWith('node:');

export default [
  ...packages.map((name) => ({
    input: `packages/${name}/src/index.ts`,
    output: { file: `packages/${name}/dist/index.js`, format: 'es', sourcemap: true },
    external,
    plugins: [esbuild({ target: 'es2022', tsconfig: `packages/${name}/tsconfig.json` })],
  })),
  // The wasm thread pool's worker script, found beside dist/index.js at run time.
  { input: 'packages/backend-wasm/src/worker.js', output: { file: 'packages/backend-wasm/dist/worker.js', format: 'es' } },
];

// Builds every package under packages/ to ESM in its dist/ folder. Types come from
// `tsc --emitDeclarationOnly` (scripts/build-types.mjs, then scripts/check-types.mjs checks
// that no global declaration leaks). The wasm backend's run-time files are emitted into
// its dist/ next to the code (plugin below).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import esbuild from 'rollup-plugin-esbuild';

// One entry per package, plus extra entries where a package has more than one (the native
// backend's browser stub, which the `browser` export condition of its package.json names).
const packages = {
  core: ['index'],
  'backend-wasm': ['index'],
  'backend-native': ['index', 'browser'],
  mlxjs: ['index'],
};

// Workspace packages and Node built-ins are imported, never bundled into each other.
// npm dependencies (fflate) stay imports too: installed beside the package, not copied into it.
const external = (id) => id.startsWith('@mlxjs/') || id === 'mlxjs' || id.startsWith('node:') || id === 'fflate';

// Every `new URL('../wasm/<file>', import.meta.url)` in a package's sources (the list is
// wasmAssets in packages/backend-wasm/src/load.ts) becomes `new URL('./<file>', ...)`, and
// <file> is emitted into dist/: the published package finds its files next to its code,
// and bundlers see the same literal pattern and copy them.
const ASSET_URL = /new URL\((['"])\.\.\/wasm\/([\w.-]+)\1,\s*import\.meta\.url\)/g;
function wasmAssets(pkgDir) {
  return {
    name: 'mlxjs-wasm-assets',
    transform(code) {
      if (!ASSET_URL.test(code)) return null;
      ASSET_URL.lastIndex = 0;
      const out = code.replace(ASSET_URL, (_m, q, file) => {
        this.emitFile({ type: 'asset', fileName: file, source: readFileSync(path.join(pkgDir, 'wasm', file)) });
        return `new URL(${q}./${file}${q}, import.meta.url)`;
      });
      return { code: out, map: null };
    },
  };
}

export default [
  ...Object.entries(packages).map(([name, entries]) => ({
    input: Object.fromEntries(entries.map((e) => [e, `packages/${name}/src/${e}.ts`])),
    output: { dir: `packages/${name}/dist`, format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    external,
    plugins: [wasmAssets(`packages/${name}`), esbuild({ target: 'es2022', tsconfig: `packages/${name}/tsconfig.json` })],
  })),
  // The wasm thread pool's worker script (plain JS, no imports), found beside dist/index.js
  // at run time as new URL('./worker.js', import.meta.url).
  { input: 'packages/backend-wasm/src/worker.js', output: { file: 'packages/backend-wasm/dist/worker.js', format: 'es' } },
];

// Users' builds of mlxjs, end to end, on the built packages (npm run build): the same tiny
// app (app/main.js) bundled by Vite, Rollup and webpack as an app would be, served locally and run
// in Chromium; imported by Node from dist; and installed from `npm pack` tarballs into an
// empty folder. Each prints the product of two known matrices.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serve } from '../../examples/browser/serve.mjs';
import { expected, launchChromium, pageOutput } from './browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = path.join(root, 'test', 'e2e', 'app');
const work = mkdtempSync(path.join(tmpdir(), 'mlxjs-e2e-'));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Serves `dir` and returns what the app printed in the page. */
async function runInChromium(dir: string, isolated: boolean): Promise<unknown> {
  const server = await serve({ root: dir, isolated });
  try {
    const text = await pageOutput(browser, `${server.url}/index.html`);
    expect(text).not.toMatch(/^ERROR/);
    return JSON.parse(text);
  } finally {
    await server.close();
  }
}

function node(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('bundlers', () => {
  it('Vite 7 builds an app that runs mlxjs in Chromium (with COOP/COEP)', async () => {
    const { build } = await import('vite');
    const outDir = path.join(work, 'vite');
    await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    // The wasm module was emitted into the app's output by Vite itself.
    expect(readdirSync(path.join(outDir, 'assets')).some((f) => /^mlxjs-core.*\.wasm$/.test(f))).toBe(true);
    expect(await runInChromium(outDir, true)).toEqual(expected);
  });

  it('Rollup (node-resolve + import-meta-assets) builds an app that runs mlxjs in Chromium (no COOP/COEP)', async () => {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    // @ts-expect-error: the plugin ships types that its package.json "exports" do not expose
    const { importMetaAssets } = (await import('@web/rollup-plugin-import-meta-assets')) as { importMetaAssets: () => import('rollup').Plugin };
    const outDir = path.join(work, 'rollup');
    const bundle = await rollup({
      input: path.join(app, 'main.js'),
      plugins: [nodeResolve({ browser: true }), importMetaAssets()],
      onwarn: (w) => {
        throw new Error(`rollup: ${w.message}`);
      },
    });
    await bundle.write({ dir: outDir, format: 'es' });
    await bundle.close();
    copyFileSync(path.join(app, 'index.html'), path.join(outDir, 'index.html'));
    expect(readdirSync(path.join(outDir, 'assets')).some((f) => /^mlxjs-core.*\.wasm$/.test(f))).toBe(true);
    expect(await runInChromium(outDir, false)).toEqual(expected);
  });

  it('webpack 5 builds an app that runs mlxjs in Chromium (with COOP/COEP)', async () => {
    const { default: webpack } = await import('webpack');
    const outDir = path.join(work, 'webpack');
    const compiler = webpack({
      mode: 'production',
      context: app,
      entry: './main.js',
      // An ES module bundle, so the page's <script type="module"> loads it as Vite's does.
      output: { path: outDir, filename: 'main.js', module: true, clean: true },
      experiments: { outputModule: true },
      // The 4 MB .wasm is bigger than webpack's advice for web assets: expected here.
      performance: { hints: false },
    });
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
      compiler.run((err, result) => (err || !result ? reject(err ?? new Error('no stats')) : resolve(result))),
    );
    await new Promise((r) => compiler.close(r));
    expect(stats.toJson({ all: false, errors: true, warnings: true })).toMatchObject({ errors: [], warnings: [] });
    expect(readdirSync(outDir).some((f) => f.endsWith('.wasm'))).toBe(true);
    copyFileSync(path.join(app, 'index.html'), path.join(outDir, 'index.html'));
    expect(await runInChromium(outDir, true)).toEqual(expected);
  });
});

describe('Node', () => {
  it('imports the built package (dist) and computes', () => {
    const out = JSON.parse(node([path.join(app, 'main.js')], root)) as { backend: string; matmul: unknown };
    expect(out.matmul).toEqual(expected.matmul);
    expect(['native', 'wasm']).toContain(out.backend);
    // It was the dist build: Node resolves mlxjs through its package.json exports.
    const resolved = node(['--input-type=module', '-e', "console.log(import.meta.resolve('mlxjs'))"], app).trim();
    expect(resolved).toBe(new URL('../../packages/mlxjs/dist/index.js', import.meta.url).href);
  });

  it('npm pack tarballs install offline into an empty folder and work there, in JS and TypeScript', () => {
    const packs = path.join(work, 'packs');
    const npm = (args: string[], cwd: string, env: Record<string, string> = {}): string => {
      const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', ...env } });
      if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    mkdirSync(packs, { recursive: true });
    npm(['pack', '--workspaces', '--pack-destination', packs, '--silent'], root);
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => path.join(packs, f));
    expect(tarballs.length).toBe(4);
    const user = path.join(work, 'user');
    mkdirSync(user);
    writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'mlxjs-user', private: true, type: 'module' }));
    // @mlxjs/* are not on the registry: every package comes from its tarball, offline.
    // MLXJS_NATIVE=0: compiling the addon again here would take minutes; what the packed
    // addon needs to compile is checked below instead, and main.js runs on wasm.
    npm(['install', '--offline', ...tarballs], user, { MLXJS_NATIVE: '0' });
    // The packed addon carries the core's sources: every file its binding.gyp compiles exists.
    const nativePkg = path.join(user, 'node_modules', '@mlxjs', 'backend-native');
    const sources = node([path.join(nativePkg, 'scripts', 'core-sources.cjs')], nativePkg).trim().split(/\s+/);
    expect(sources.length).toBeGreaterThan(50);
    for (const f of sources) expect(existsSync(path.join(nativePkg, f)), f).toBe(true);
    expect(node([path.join(nativePkg, 'scripts', 'core-dir.cjs')], nativePkg).trim()).toBe('core-cpp');
    expect(existsSync(path.join(nativePkg, 'core-cpp', 'include', 'mlxc.h'))).toBe(true);
    // ...and packing left the repository as it was (postpack removed the copy).
    expect(existsSync(path.join(root, 'packages', 'backend-native', 'core-cpp'))).toBe(false);
    copyFileSync(path.join(app, 'main.js'), path.join(user, 'main.js'));
    const out = JSON.parse(node(['main.js'], user)) as { backend: string; matmul: unknown };
    expect(out.matmul).toEqual(expected.matmul);

    // A TypeScript user: strict, the package's own .d.ts checked (no skipLibCheck), and no
    // ambient types at all (`types: []`): the declarations resolve through the `types`
    // export condition and need nothing global beyond the standard libs.
    writeFileSync(path.join(user, 'check.ts'), [
      "import * as mx from 'mlxjs';",
      'const backend: string = await mx.init();',
      'const a: mx.Array = mx.matmul(mx.array([[1, 2], [3, 4]]), mx.array([[5, 6], [7, 8]]));',
      'console.log(backend, a.tolist());',
    ].join('\n'));
    writeFileSync(path.join(user, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { noEmit: true, strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: [], lib: ['es2022', 'dom', 'esnext.disposable'] },
      files: ['check.ts'],
    }));
    node([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], user);
  });
});

// Checks the emitted .d.ts files of every package: a user's TypeScript program must get
// mlxjs's own names and nothing else. Fails on anything that would leak into the global
// scope or drag other typings in: `declare global`, `declare module 'other-package'`,
// triple-slash references (types="node", lib="dom", ...), and script files (a .d.ts with no
// import/export puts every declaration in the global scope).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './toolchain.mjs';

const rules = [
  [/^\s*declare\s+global\b/m, 'declare global'],
  // Augmenting the package's own modules ('./array.js') is fine; another package's is not.
  [/^\s*declare\s+module\s+['"](?!\.)/m, "declare module of another package"],
  [/^\s*\/\/\/\s*<reference\s/m, 'a triple-slash reference'],
];

function* dts(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* dts(p);
    else if (e.name.endsWith('.d.ts')) yield p;
  }
}

const problems = [];
let files = 0;
for (const name of ['core', 'backend-wasm', 'backend-native', 'mlxjs']) {
  for (const file of dts(path.join(root, 'packages', name, 'dist'))) {
    files++;
    const text = readFileSync(file, 'utf8');
    for (const [re, what] of rules) if (re.test(text)) problems.push(`${path.relative(root, file)}: ${what}`);
    if (!/^\s*(import|export)\b/m.test(text)) problems.push(`${path.relative(root, file)}: a script file (its declarations are global)`);
  }
}
if (files === 0) problems.push('no .d.ts files found: run the build first');
if (problems.length) {
  console.error(`[check-types] ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`[check-types] ${files} declaration files, no global declarations.`);

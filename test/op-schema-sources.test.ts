// The TypeScript ops reach the core only through the schema encoder (packages/core/src/ops/
// call.ts; see test/op-schema.test.ts): a scan of the package's sources. Node only (node:fs).
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('ops call the core only through the schema encoder (ops/call.ts)', () => {
  const root = new URL('../packages/core/src/', import.meta.url);
  const offenders: string[] = [];
  const walk = (dir: URL): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(new URL(`${e.name}/`, dir));
      else if (e.name.endsWith('.ts') && !(dir.href.endsWith('/ops/') && e.name === 'call.ts')) {
        if (/\.op1?\(/.test(readFileSync(new URL(e.name, dir), 'utf8'))) offenders.push(e.name);
      }
    }
  };
  walk(root);
  expect(offenders).toEqual([]);
});

// docs/ops.md (the op status table) matches what mlxjs exports.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
// @ts-expect-error: a plain .mjs script without type declarations
import { renderTable } from '../scripts/ops-table.mjs';

it('docs/ops.md is up to date with the exports (regenerate: node scripts/ops-table.mjs)', () => {
  const committed = readFileSync(new URL('../docs/ops.md', import.meta.url), 'utf8');
  expect(committed).toBe((renderTable as (m: unknown) => string)(mx));
});

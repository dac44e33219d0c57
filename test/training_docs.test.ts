// Runs the examples in docs/training.md so the page stays true: every ```js block runs with `mx`
// and `check(actual, expected)` in scope (as test/docs.test.ts does for the transform pages).
import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import { jsBlocks, runDocExample } from './helpers/doc-examples.js';

type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/training.md', { query: '?raw', import: 'default', eager: true });
const text = texts['../docs/training.md']!;
const blocks = jsBlocks(text);

describeEachBackend('docs/training.md examples', () => {
  it('exist for the loop, schedules, trees, compile and resuming', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and its checks hold`, () => runDocExample(code));
  });
});

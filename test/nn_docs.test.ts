// Runs the examples in docs/nn.md so the page stays true: every ```js block runs with `mx`
// and `check(actual, expected)` in scope (as test/docs.test.ts does for the transform pages).
import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import { jsBlocks, runDocExample } from './helpers/doc-examples.js';

type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/nn.md', { query: '?raw', import: 'default', eager: true });
const text = texts['../docs/nn.md']!;
const blocks = jsBlocks(text);

describeEachBackend('docs/nn.md examples', () => {
  it('exist for every layer family and the training loop', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and its checks hold`, () => runDocExample(code));
  });
});

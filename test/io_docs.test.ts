// Runs the examples in docs/io.md that run anywhere (its ```js blocks: saving to bytes and
// loading them back); the Node-path and browser examples are ```javascript, not run here.
import { expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import { jsBlocks, runDocExample } from './helpers/doc-examples.js';

type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/io.md', { query: '?raw', import: 'default', eager: true });
const blocks = jsBlocks(texts['../docs/io.md']!);

describeEachBackend('docs/io.md examples', () => {
  it('exist', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and its checks hold`, () => runDocExample(code));
  });
});

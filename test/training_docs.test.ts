// Runs the examples in docs/training.md so the page stays true: every ```js block runs with `mx`
// and `check(actual, expected)` in scope (as test/docs.test.ts does for the transform pages).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/training.md', { query: '?raw', import: 'default', eager: true });
const text = texts['../docs/training.md']!;
const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describeEachBackend('docs/training.md examples', () => {
  it('exist for the loop, schedules, trees, compile and resuming', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and its checks hold`, () => {
      let checks = 0;
      const check = (actual: unknown, expected: unknown): void => {
        checks++;
        if (typeof expected === 'boolean' || typeof expected === 'string') expect(actual).toEqual(expected);
        else expectClose(actual, expected, 1e-5);
      };
      mx.tidy(() => {
        new Function('mx', 'check', code)(mx, check);
      });
      expect(checks, 'an example must check something').toBeGreaterThan(0);
    });
  });
});

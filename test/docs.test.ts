// Runs the examples in docs/transforms/*.md so the documentation stays true: every ```js
// block runs with `mx` and `check(actual, expected)` in scope.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

// The pages' text, inlined by Vite's import.meta.glob (vitest runs the tests through Vite,
// in Node and in the browser runs alike), keyed by path.
type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/transforms/*.md', { query: '?raw', import: 'default', eager: true });
const pages = Object.keys(texts).map((p) => p.slice(p.lastIndexOf('/') + 1));
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

describeEachBackend('documentation examples', () => {
  it('exist for every transform page', () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
  });
  for (const page of pages) {
    const text = texts[`../docs/transforms/${page}`]!;
    const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    blocks.forEach((code, i) => {
      it(`${page} example ${i + 1} runs and its checks hold`, async () => {
        let checks = 0;
        const check = (actual: unknown, expected: unknown): void => {
          checks++;
          expectClose(actual, expected);
        };
        await mx.tidy(async () => {
          await new AsyncFunction('mx', 'check', code)(mx, check);
        });
        expect(checks, 'an example must check something').toBeGreaterThan(0);
      });
    });
  }
});

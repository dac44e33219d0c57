// Runs the examples in docs/transforms/*.md so the documentation stays true: every ```js
// block runs with `mx` and `check(actual, expected)` in scope.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

const dir = new URL('../docs/transforms/', import.meta.url);
const pages = readdirSync(dir).filter((f) => f.endsWith('.md'));
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

describeEachBackend('documentation examples', () => {
  it('exist for every transform page', () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
  });
  for (const page of pages) {
    const text = readFileSync(new URL(page, dir), 'utf8');
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

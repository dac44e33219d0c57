// Runs a page's ```js examples (docs/nn.md, docs/training.md): each block runs with `mx` and
// `check(actual, expected)` in scope and must check something.
import { expect } from 'vitest';
import * as mx from 'mlxjs';
import { expectClose } from './close.js';

/** The ```js blocks of a Markdown text. */
export function jsBlocks(text: string): string[] {
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs one example inside tidy; its check() calls compare with a 1e-5 tolerance. */
export function runDocExample(code: string): void {
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
}

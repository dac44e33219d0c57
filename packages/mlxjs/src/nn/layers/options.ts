/**
 * MLX's keyword arguments of forward calls: positional arguments, where a trailing plain
 * object holds the rest by name (`mha.forward(q, k, v, { mask })`, `rope.forward(x, { offset })`).
 */
import { isPlainObject } from '../tree-paths.js';

export function keywordArgs<T extends Record<string, unknown>>(names: readonly (keyof T & string)[], positional: readonly unknown[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < positional.length; i++) {
    const v = positional[i];
    if (isPlainObject(v)) {
      Object.assign(out, v);
      break;
    }
    if (v !== undefined) out[names[i]!] = v;
  }
  return out as Partial<T>;
}

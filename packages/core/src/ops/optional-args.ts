/**
 * Argument parsing shared by the random, sort and creation-extras ops: MLX's optional
 * arguments may be given positionally or in a trailing options object.
 */
import { MxArray } from '../array.js';
import { Dtype } from '../dtype.js';

/** An options object (not an array, a dtype or a JS list). */
export const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !(x instanceof MxArray) && !(x instanceof Dtype) && !Array.isArray(x);

/**
 * MLX's optional arguments, given positionally or in a trailing options object (which
 * ends the positional ones): `normal([2], {key})`, `normal({shape: [2], key})`. Returns
 * each name's value, positional first.
 */
export function optionalArgs<O extends object>(names: readonly (keyof O)[], args: readonly unknown[]): Partial<O> {
  const at = args.findIndex(isOptions);
  const positional = at < 0 ? args : args.slice(0, at);
  const options = (at < 0 ? {} : args[at]) as Partial<O>;
  const out: Partial<O> = {};
  names.forEach((name, i) => {
    const v = positional[i] !== undefined ? positional[i] : options[name];
    if (v !== undefined) out[name] = v as O[keyof O];
  });
  return out;
}

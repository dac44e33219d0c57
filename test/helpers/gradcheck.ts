/**
 * The finite-difference harness: checks an op's vjp and jvp (as mx.vjp / mx.jvp compute
 * them through the core) against central differences of the op itself, in float64.
 *
 *   checkGrads((x, y) => mx.multiply(x, y), [[2, 3], [2, 3]]);
 *
 * Inputs are given by shape (random values in [-1, 1], or within `range`) or as explicit
 * float64 arrays. For a random cotangent c, vjp must equal the gradient of sum(f(x) * c);
 * for random tangents t, jvp must equal (f(x + h t) - f(x - h t)) / 2h.
 */
import { expect } from 'vitest';
import * as mx from 'mlxjs';

export interface GradCheckOptions {
  /** Random inputs are drawn from [lo, hi] (default [-1, 1]); pick a range inside the domain. */
  range?: [number, number];
  /** Step of the central differences (default 1e-6). */
  step?: number;
  /** Allowed |analytic - numeric| <= atol + rtol * |numeric| (defaults 1e-6, 1e-5). */
  atol?: number;
  rtol?: number;
  /** Which inputs are differentiated (default: all). */
  argnums?: number[];
  seed?: number;
}

type Fn = (...xs: mx.Array[]) => mx.Array;

/** A small deterministic generator, so failures reproduce. */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function flat(x: mx.Array): number[] {
  return Array.from(x.astype(mx.float64).toTypedArray() as Float64Array);
}

export function checkGrads(fn: Fn, inputs: (readonly number[] | mx.Array)[], options: GradCheckOptions = {}): void {
  const { range = [-1, 1], step = 1e-6, atol = 1e-6, rtol = 1e-5, seed = 7 } = options;
  const rand = uniform(seed);
  const draw = (n: number, lo = range[0], hi = range[1]): Float64Array =>
    Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
  mx.tidy(() => {
    const xs = inputs.map((s) =>
      s instanceof mx.Array ? s.astype(mx.float64) : mx.array(draw(size(s)), [...s], mx.float64),
    );
    const argnums = options.argnums ?? xs.map((_, i) => i);
    const out = fn(...xs);
    const cot = mx.array(draw(size(out.shape), -1, 1), out.shape, mx.float64);

    // Reverse mode against the gradient of sum(f(x) * c).
    const [, vjps] = mx.vjp(fn, xs, [cot]);
    const objective = (args: mx.Array[]): number => mx.tidy(() => mx.sum(mx.multiply(fn(...args), cot)).item() as number);
    for (const i of argnums) {
      const base = flat(xs[i]!);
      const analytic = flat(vjps[i]!);
      expect(vjps[i]!.shape, `vjp shape of input ${i}`).toEqual(xs[i]!.shape);
      for (let k = 0; k < base.length; k++) {
        const at = (delta: number): number =>
          mx.tidy(() => {
            const moved = base.slice();
            moved[k]! += delta;
            const args = xs.slice();
            args[i] = mx.array(Float64Array.from(moved), xs[i]!.shape, mx.float64);
            return objective(args);
          });
        const numeric = (at(step) - at(-step)) / (2 * step);
        expect(
          Math.abs(analytic[k]! - numeric),
          `vjp of input ${i} at element ${k}: analytic ${analytic[k]} vs numeric ${numeric}`,
        ).toBeLessThanOrEqual(atol + rtol * Math.abs(numeric));
      }
    }

    // Forward mode against a directional difference along random tangents.
    const tangents = xs.map((x, i) =>
      argnums.includes(i) ? mx.array(draw(size(x.shape), -1, 1), x.shape, mx.float64) : mx.zerosLike(x),
    );
    const [, jvps] = mx.jvp(fn, xs, tangents);
    const shifted = (sign: number): number[] =>
      mx.tidy(() => flat(fn(...xs.map((x, i) => mx.add(x, mx.multiply(tangents[i]!, sign * step))))));
    const up = shifted(1);
    const down = shifted(-1);
    const analytic = flat(jvps[0]!);
    expect(jvps[0]!.shape, 'jvp shape').toEqual(out.shape);
    for (let k = 0; k < up.length; k++) {
      const numeric = (up[k]! - down[k]!) / (2 * step);
      expect(
        Math.abs(analytic[k]! - numeric),
        `jvp at output element ${k}: analytic ${analytic[k]} vs numeric ${numeric}`,
      ).toBeLessThanOrEqual(atol + rtol * Math.abs(numeric));
    }
  });
}

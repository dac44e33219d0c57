/**
 * Shared by the nn tests: decodes fixture arrays (test/fixtures/gen_nn.py), and checks a
 * layer's forward values and the gradients of sum(out * cot) with respect to its inputs
 * and parameters against a fixture case.
 */
import { expect } from 'vitest';
import * as mx from 'mlxjs';
import { expectClose } from './close.js';

export interface Enc { shape: number[]; values: (number | string)[] }
export interface LayerCase {
  inputs: Record<string, Enc>;
  params: Record<string, Enc>;
  out: Enc;
  cot: Enc;
  grads: Record<string, Enc>;
  args?: Record<string, unknown>;
}

const num = (v: number | string): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));

/** A fixture array as an mx array (float32 unless told). */
export const dec = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values.map(num), dtype).reshape(e.shape);
export const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
export const expectEnc = (x: mx.Array, e: Enc, tol: number, label = ''): void => {
  expect(x.shape, label).toEqual(e.shape);
  expectClose(flat(x), e.values.map(num), tol);
};

/** Parameter paths ('weight', 'layers.0.bias') to a tree for Module.update. */
export function paramTree(params: Record<string, Enc>, dtype: mx.Dtype = mx.float32): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, e] of Object.entries(params)) {
    const parts = path.split('.');
    let node = root;
    parts.slice(0, -1).forEach((p) => { node = (node[p] ??= {}) as Record<string, unknown>; });
    node[parts[parts.length - 1]!] = dec(e, dtype);
  }
  return root;
}

/**
 * Loads the case's parameters into `model`, then checks forward(...inputs) and the
 * gradients (inputs by name in the case's order, parameters as 'params.<path>').
 * Runs in tidy; the caller disposes the model.
 */
export function checkLayer(
  model: mx.nn.Module,
  c: LayerCase,
  forward: (m: mx.nn.Module, ...xs: mx.Array[]) => mx.Array,
  tol = 1e-4,
  inputDtype: mx.Dtype = mx.float32,
): void {
  mx.tidy(() => {
    if (Object.keys(c.params).length > 0) model.update(paramTree(c.params));
    const names = Object.keys(c.inputs);
    const xs = names.map((n) => dec(c.inputs[n]!, inputDtype));
    const cot = dec(c.cot);
    const y = forward(model, ...xs);
    expectEnc(y, c.out, tol, 'forward');
    const loss = (m: mx.nn.Module, ...ins: mx.Array[]): mx.Array => mx.sum(mx.multiply(forward(m, ...ins), cot));
    const [, grads] = mx.nn.valueAndGrad(model, loss)(model, ...xs);
    const flatGrads = new Map(pathsOf(grads));
    for (const [k, e] of Object.entries(c.grads)) {
      if (!k.startsWith('params.')) continue;
      const g = flatGrads.get(k.slice(7));
      expect(g, `gradient of ${k}`).toBeDefined();
      expectEnc(g!, e, tol, `gradient of ${k}`);
    }
    if (names.length > 0 && names.some((n) => c.grads[n] !== undefined)) {
      const argnums = names.map((_n, i) => i);
      const gx = mx.grad((...ins: mx.Array[]) => loss(model, ...ins), argnums)(...xs) as mx.Array[];
      names.forEach((n, i) => {
        if (c.grads[n] !== undefined) expectEnc(gx[i]!, c.grads[n]!, tol, `gradient of input ${n}`);
      });
    }
  });
}

/** `[dotted path, array]` pairs of a nested tree. */
export function pathsOf(tree: unknown, prefix = ''): [string, mx.Array][] {
  if (tree instanceof mx.Array) return [[prefix, tree]];
  const join = (k: string | number): string => (prefix === '' ? String(k) : `${prefix}.${k}`);
  if (Array.isArray(tree)) return tree.flatMap((t, i) => pathsOf(t, join(i)));
  if (tree !== null && typeof tree === 'object') return Object.entries(tree).flatMap(([k, t]) => pathsOf(t, join(k)));
  return [];
}

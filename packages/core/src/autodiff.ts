/**
 * The autodiff transforms: vjp, jvp, grad and valueAndGrad. The JS function runs as a core
 * closure (the core calls it back with tracer arrays); the differentiation itself happens
 * in the core. This file only converts trees and argnums, and words errors as MLX does.
 */
import { checkFunction, describeValue } from './arg-checks.js';
import { MxArray } from './array.js';
import type { Backend, Handle } from './backend.js';
import { hostFunction } from './closure.js';
import { backendOf } from './operands.js';
import { type Tree, arrayLeaves, replaceArrays } from './tree.js';

/** What a differentiated function may return: an array, or [loss, ...aux] for valueAndGrad. */
type FnResult = MxArray | readonly Tree[];

const wrapAll = (backend: Backend, handles: Handle[]): MxArray[] => handles.map((h) => new MxArray(backend, h));

/** Runs `body` with a core closure around `fn`, freeing the closure afterwards. */
function withClosure<T>(backend: Backend, fn: (xs: MxArray[]) => MxArray[], body: (c: Handle) => T): T {
  const c = backend.closureNew(hostFunction(backend, fn));
  try {
    return body(c);
  } finally {
    backend.closureFree(c);
  }
}

/** A function's outputs as a list of arrays (an array alone is a list of one). */
function outputList(op: string, out: unknown): MxArray[] {
  if (out instanceof MxArray) return [out];
  if (Array.isArray(out) && out.every((o) => o instanceof MxArray)) return out as MxArray[];
  throw new TypeError(`[${op}] The function must return an array or a list of arrays.`);
}

function checkArrays(op: string, what: string, xs: readonly unknown[]): asserts xs is MxArray[] {
  if (!Array.isArray(xs)) throw new TypeError(`[${op}] ${what} must be a list of arrays, got ${describeValue(xs)}.`);
  xs.forEach((x, i) => {
    if (!(x instanceof MxArray)) throw new TypeError(`[${op}] ${what}[${i}] must be an array.`);
  });
}

/**
 * Reverse mode: `[fn(...primals), vjps]` where vjps[i] is the cotangent of primals[i] given
 * one cotangent per output of fn.
 */
export function vjp(
  fn: (...primals: MxArray[]) => MxArray | MxArray[],
  primals: readonly MxArray[],
  cotangents: readonly MxArray[],
): [MxArray[], MxArray[]] {
  checkFunction('vjp', 'fn', fn);
  checkArrays('vjp', 'primals', primals);
  checkArrays('vjp', 'cotangents', cotangents);
  const backend = backendOf('vjp', ...primals, ...cotangents);
  const [outs, vjps] = withClosure(backend, (xs) => outputList('vjp', fn(...xs)), (c) =>
    backend.vjp(c, primals.map((p) => p.handle), cotangents.map((t) => t.handle)),
  );
  return [wrapAll(backend, outs), wrapAll(backend, vjps)];
}

/** Forward mode: `[fn(...primals), jvps]` where jvps[i] is the tangent of output i. */
export function jvp(
  fn: (...primals: MxArray[]) => MxArray | MxArray[],
  primals: readonly MxArray[],
  tangents: readonly MxArray[],
): [MxArray[], MxArray[]] {
  checkFunction('jvp', 'fn', fn);
  checkArrays('jvp', 'primals', primals);
  checkArrays('jvp', 'tangents', tangents);
  const backend = backendOf('jvp', ...primals, ...tangents);
  const [outs, jvps] = withClosure(backend, (xs) => outputList('jvp', fn(...xs)), (c) =>
    backend.jvp(c, primals.map((p) => p.handle), tangents.map((t) => t.handle)),
  );
  return [wrapAll(backend, outs), wrapAll(backend, jvps)];
}

/** Which arguments to differentiate: one index, or a non-empty list of them. */
export type Argnums = number | readonly number[];

/**
 * Checks argnums when the transform is created, as MLX does: at least one, integers, none
 * negative, no repeats. Returns them sorted.
 */
function validateArgnums(op: string, argnums: Argnums): number[] {
  if (typeof argnums !== 'number' && !Array.isArray(argnums)) {
    throw new TypeError(`[${op}] argnums must be an integer or a list of integers, got ${describeValue(argnums)}.`);
  }
  const list = typeof argnums === 'number' ? [argnums] : [...(argnums as readonly number[])];
  if (list.length === 0) throw new Error(`[${op}] Gradient wrt no argument requested.`);
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a)) {
      throw new TypeError(`[${op}] argnums must be integers, got ${describeValue(a)}.`);
    }
  }
  list.sort((x, y) => x - y);
  if (list[0]! < 0) throw new Error(`[${op}] Can't compute the gradient of negative argument index ${list[0]}.`);
  for (let i = 1; i < list.length; i++) {
    if (list[i] === list[i - 1]) throw new Error(`[${op}] Duplicate argument index ${list[i]} in argnums.`);
  }
  return list;
}

/** The call-time check: every argnum names a positional argument of this call. */
function checkArgnumsInRange(op: string, nums: readonly number[], nargs: number): void {
  const last = nums[nums.length - 1]!;
  if (last >= nargs) {
    throw new Error(
      `[${op}] Can't compute the gradient of argument index ${last} because the function is called with only ${nargs} positional arguments.`,
    );
  }
}

/** Throws unless every leaf of a differentiated argument is an array. */
function checkDifferentiable(op: string, tree: Tree, argnum: number): void {
  const visit = (t: Tree, path: string): void => {
    if (t instanceof MxArray) return;
    if (Array.isArray(t)) t.forEach((c, i) => visit(c, `${path}[${i}]`));
    else if (t !== null && typeof t === 'object' && Object.getPrototypeOf(t) === Object.prototype) {
      for (const k of Object.keys(t)) visit((t as Record<string, Tree>)[k], `${path}.${k}`);
    } else {
      throw new TypeError(
        `[${op}] Argument ${argnum} is differentiated, so its leaves must be arrays, but ${path} is ${t === null ? 'null' : typeof t}.`,
      );
    }
  };
  visit(tree, `argument ${argnum}`);
}

/**
 * `valueAndGrad(fn, argnums)(...args)` returns `[fn(...args), grads]`: the gradient of fn's
 * scalar output with respect to the arguments in argnums (a tree shaped like that argument
 * for a single argnum; a list of them for a list). fn may return `[loss, ...aux]`: only
 * loss is differentiated and the value is the whole list.
 */
export function valueAndGrad<A extends unknown[]>(
  fn: (...args: A) => FnResult,
  argnums: Argnums = 0,
): (...args: A) => [FnResult, Tree] {
  return makeValueAndGrad('value_and_grad', fn, argnums, true);
}

/**
 * The shared body of valueAndGrad and grad; `op` names the transform in errors and
 * `allowAux` is false for grad, whose function must return the scalar alone (MLX).
 */
function makeValueAndGrad<A extends unknown[]>(
  op: string,
  fn: (...args: A) => FnResult,
  argnums: Argnums,
  allowAux: boolean,
): (...args: A) => [FnResult, Tree] {
  checkFunction(op, 'fn', fn);
  const nums = validateArgnums(op, argnums);
  return (...args: A): [FnResult, Tree] => {
    checkArgnumsInRange(op, nums, args.length);
    nums.forEach((a) => checkDifferentiable(op, args[a], a));
    const leafCounts = nums.map((a) => arrayLeaves(args[a]).length);
    const primals = nums.flatMap((a) => arrayLeaves(args[a]));
    const backend = backendOf(op, ...primals);

    let returnedList = false;
    let auxStructure: Tree[] = [];
    const traced = (xs: MxArray[]): MxArray[] => {
      const call = [...args] as unknown[];
      let offset = 0;
      nums.forEach((a, k) => {
        call[a] = replaceArrays(args[a], xs.slice(offset, offset + leafCounts[k]!));
        offset += leafCounts[k]!;
      });
      const out = fn(...(call as A));
      if (out instanceof MxArray) {
        returnedList = false;
        return [out];
      }
      if (!allowAux) {
        throw new Error(
          `[${op}] The return value of the function whose gradient we want to compute should be a scalar array; but ${typeName(out)} was returned.`,
        );
      }
      if (!Array.isArray(out) || out.length === 0 || !(out[0] instanceof MxArray)) {
        throw new TypeError(`[${op}] The function must return an array or a list [loss, ...aux].`);
      }
      returnedList = true;
      auxStructure = out.slice(1);
      return [out[0], ...arrayLeaves(auxStructure)];
    };
    const [values, grads] = withClosure(backend, traced, (c) =>
      backend.valueAndGrad(c, primals.map((p) => p.handle)),
    );
    const valueArrays = wrapAll(backend, values);
    const gradArrays = wrapAll(backend, grads);
    const value: FnResult = returnedList
      ? [valueArrays[0]!, ...(replaceArrays(auxStructure, valueArrays.slice(1)) as Tree[])]
      : valueArrays[0]!;
    let offset = 0;
    const perArg = nums.map((a, k) => {
      const g = replaceArrays(args[a], gradArrays.slice(offset, offset + leafCounts[k]!));
      offset += leafCounts[k]!;
      return g;
    });
    return [value, typeof argnums === 'number' ? perArg[0] : perArg];
  };
}

/** A returned value's type as an error message names it. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `a ${typeof v}`;
}

/**
 * `grad(fn, argnums)(...args)`: the gradient part of valueAndGrad. fn returns the scalar
 * array alone: as in MLX, a `[loss, aux]` result is an error here (use valueAndGrad).
 */
export function grad<A extends unknown[]>(fn: (...args: A) => FnResult, argnums: Argnums = 0): (...args: A) => Tree {
  const vg = makeValueAndGrad('grad', fn, argnums, false);
  return (...args: A): Tree => {
    const [value, grads] = vg(...args);
    for (const v of arrayLeaves(value)) v.dispose();
    return grads;
  };
}

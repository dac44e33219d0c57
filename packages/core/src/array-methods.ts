/**
 * The Array methods that mirror ops (x.add(y), x.sum(1), x.T, ...). They are attached here
 * rather than in array.ts so that the class does not import the ops (which import it).
 */
import { MxArray } from './array.js';
import type { DtypeLike } from './dtype.js';
import type { Operand } from './operands.js';
import * as ops from './ops.js';

declare module './array.js' {
  interface MxArray {
    add(other: Operand): MxArray;
    subtract(other: Operand): MxArray;
    multiply(other: Operand): MxArray;
    divide(other: Operand): MxArray;
    negative(): MxArray;
    exp(): MxArray;
    log(): MxArray;
    tanh(): MxArray;
    sum(axis?: ops.Axis | ops.ReduceOptions, keepdims?: boolean): MxArray;
    mean(axis?: ops.Axis | ops.ReduceOptions, keepdims?: boolean): MxArray;
    max(axis?: ops.Axis | ops.ReduceOptions, keepdims?: boolean): MxArray;
    /** `x.reshape(2, 3)` or `x.reshape([2, 3])`. */
    reshape(...shape: number[] | [readonly number[]]): MxArray;
    /** `x.transpose()`, `x.transpose(1, 0)` or `x.transpose([1, 0])`. */
    transpose(...axes: number[] | [readonly number[]]): MxArray;
    /** The transpose (axes reversed). */
    readonly T: MxArray;
    astype(dtype: DtypeLike): MxArray;
    view(dtype: DtypeLike): MxArray;
    matmul(other: MxArray): MxArray;
    broadcastTo(shape: number | readonly number[]): MxArray;
  }
}

/** Variadic-or-list arguments: (2, 3) and ([2, 3]) mean the same. */
const listArg = (args: number[] | [readonly number[]]): readonly number[] =>
  args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);

const proto = MxArray.prototype;
proto.add = function (other) { return ops.add(this, other); };
proto.subtract = function (other) { return ops.subtract(this, other); };
proto.multiply = function (other) { return ops.multiply(this, other); };
proto.divide = function (other) { return ops.divide(this, other); };
proto.negative = function () { return ops.negative(this); };
proto.exp = function () { return ops.exp(this); };
proto.log = function () { return ops.log(this); };
proto.tanh = function () { return ops.tanh(this); };
proto.sum = function (axis, keepdims) { return ops.sum(this, axis, keepdims); };
proto.mean = function (axis, keepdims) { return ops.mean(this, axis, keepdims); };
proto.max = function (axis, keepdims) { return ops.max(this, axis, keepdims); };
proto.reshape = function (...shape) { return ops.reshape(this, listArg(shape)); };
proto.transpose = function (...axes) {
  return ops.transpose(this, axes.length === 0 ? null : listArg(axes));
};
proto.astype = function (dtype) { return ops.astype(this, dtype); };
proto.view = function (dtype) { return ops.view(this, dtype); };
proto.matmul = function (other) { return ops.matmul(this, other); };
proto.broadcastTo = function (shape) { return ops.broadcastTo(this, shape); };
Object.defineProperty(proto, 'T', {
  get(this: MxArray) { return ops.transpose(this, null); },
  configurable: true,
});

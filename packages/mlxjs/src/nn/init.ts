/**
 * nn.init: MLX's initializers. Each factory returns `(array, ...) => array`: a new array
 * with the input's shape (the input's values are not read).
 */
import * as mx from '@mlxjs/core';

type Init = (a: mx.Array) => mx.Array;
const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Every element `value`. */
export const constant = (value: number, dtype: mx.DtypeLike = mx.float32): Init => (a) => mx.full(a.shape, value, dtype);

/** Samples of N(mean, std^2). */
export const normal = (mean = 0.0, std = 1.0, dtype: mx.DtypeLike = mx.float32): Init => (a) =>
  mx.random.normal(a.shape, dtype, mean, std);

/** Samples of U(low, high). */
export const uniform = (low = 0.0, high = 1.0, dtype: mx.DtypeLike = mx.float32): Init => (a) =>
  mx.random.uniform(low, high, a.shape, dtype);

/** The identity matrix (the input must be square). */
export const identity = (dtype: mx.DtypeLike = mx.float32): Init => (a) => {
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) {
    throw new Error(`[identity] The input array must be a square matrix but got shape ${shapeStr(a.shape)}.`);
  }
  return mx.identity(a.shape[0]!, dtype);
};

/** fan_in = shape[-1], fan_out = shape[0], both times the receptive field (the middle axes). */
function fans(op: string, x: mx.Array): [number, number] {
  if (x.ndim < 2) {
    throw new Error(`[${op}] Glorot / He initialization requires at least 2 dimensional input but input with ${x.ndim} dimensions.`);
  }
  const field = x.shape.slice(1, -1).reduce((p, d) => p * d, 1);
  return [x.shape[x.ndim - 1]! * field, x.shape[0]! * field];
}

/** N(0, gain^2 2 / (fan_in + fan_out)). */
export const glorotNormal = (dtype: mx.DtypeLike = mx.float32) => (a: mx.Array, gain = 1.0): mx.Array => {
  const [fanIn, fanOut] = fans('glorot_normal', a);
  return mx.random.normal(a.shape, dtype, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
};

/** U(-l, l), l = gain sqrt(6 / (fan_in + fan_out)). */
export const glorotUniform = (dtype: mx.DtypeLike = mx.float32) => (a: mx.Array, gain = 1.0): mx.Array => {
  const [fanIn, fanOut] = fans('glorot_uniform', a);
  const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
  return mx.random.uniform(-limit, limit, a.shape, dtype);
};

type Mode = 'fan_in' | 'fan_out';
function fanOf(op: string, a: mx.Array, mode: Mode): number {
  const [fanIn, fanOut] = fans(op, a);
  if (mode === 'fan_in') return fanIn;
  if (mode === 'fan_out') return fanOut;
  throw new Error(`[${op}] Invalid mode: ${String(mode)}. Valid modes are: fan_in, fan_out`);
}

/** N(0, gain^2 / fan), fan = fan_in (default) or fan_out. */
export const heNormal = (dtype: mx.DtypeLike = mx.float32) => (a: mx.Array, mode: Mode = 'fan_in', gain = 1.0): mx.Array =>
  mx.random.normal(a.shape, dtype, 0, gain / Math.sqrt(fanOf('he_normal', a, mode)));

/** U(-l, l), l = gain sqrt(3 / fan). */
export const heUniform = (dtype: mx.DtypeLike = mx.float32) => (a: mx.Array, mode: Mode = 'fan_in', gain = 1.0): mx.Array => {
  const limit = gain * Math.sqrt(3 / fanOf('he_uniform', a, mode));
  return mx.random.uniform(-limit, limit, a.shape, dtype);
};

/** N(mean, std^2) with ceil(sparsity * cols) zeros at random places in each row (2-D only). */
export const sparse = (sparsity: number, mean = 0.0, std = 1.0, dtype: mx.DtypeLike = mx.float32): Init => (a) => {
  if (a.ndim !== 2) throw new Error('[sparse] Only tensors with 2 dimensions are supported.');
  const [rows, cols] = a.shape as [number, number];
  const zeros = Math.ceil(sparsity * cols);
  return mx.tidy(() => {
    const order = mx.argsort(mx.random.uniform(0, 1, a.shape), 1);
    const values = mx.random.normal(a.shape, dtype, mean, std);
    if (zeros === 0) return values;
    return mx.putAlongAxis(values, mx.slice(order, [0, 0], [rows, zeros]), mx.array(0, values.dtype), 1);
  });
};

/** A (semi-)orthogonal matrix times `gain` (QR of a Gaussian matrix, signs fixed by R's diagonal). */
export const orthogonal = (gain = 1.0, dtype: mx.DtypeLike = mx.float32): Init => (a) => {
  if (a.ndim !== 2) throw new Error(`[orthogonal] Orthogonal initialization requires a 2D array but got a ${a.ndim}D array.`);
  const [rows, cols] = a.shape as [number, number];
  const n = Math.max(rows, cols);
  return mx.tidy(() => {
    const [q, r] = mx.linalg.qr(mx.random.normal([n, n])) as [mx.Array, mx.Array];
    const signed = mx.multiply(q, mx.sign(mx.diag(r)));
    const cut = rows < cols ? mx.slice(signed, [0, 0], [rows, n]) : mx.slice(signed, [0, 0], [n, cols]);
    return mx.multiply(gain, cut).astype(dtype);
  });
};

/**
 * Activation functions, MLX's formulas (mlx/nn/layers/activations.py) over the mx ops. Each
 * composite runs in mx.tidy so its intermediates are freed at once (the lazy graph keeps
 * what the result needs).
 */
import * as mx from '@mlxjs/core';

const t = mx.tidy;

export const sigmoid = (x: mx.Array): mx.Array => mx.sigmoid(x);
export const tanh = (x: mx.Array): mx.Array => mx.tanh(x);
export const relu = (x: mx.Array): mx.Array => mx.maximum(x, 0);
/** relu(x)^2. */
export const relu2 = (x: mx.Array): mx.Array => t(() => mx.square(mx.maximum(x, 0)));
/** min(max(x, 0), 6). */
export const relu6 = (x: mx.Array): mx.Array => t(() => mx.minimum(mx.maximum(x, 0), 6));
/** max(negativeSlope * x, x). */
export const leakyRelu = (x: mx.Array, negativeSlope = 0.01): mx.Array => t(() => mx.maximum(mx.multiply(negativeSlope, x), x));
/** x - logsumexp(x, axis). */
export const logSoftmax = (x: mx.Array, axis = -1): mx.Array => t(() => mx.subtract(x, mx.logsumexp(x, axis, true)));
/** x for x > 0, alpha (e^x - 1) otherwise. */
export const elu = (x: mx.Array, alpha = 1.0): mx.Array =>
  t(() => mx.where(mx.greater(x, 0), x, mx.multiply(alpha, mx.subtract(mx.exp(x), 1))));
export const softmax = (x: mx.Array, axis = -1): mx.Array => mx.softmax(x, axis);
/** log(1 + e^x). */
export const softplus = (x: mx.Array): mx.Array => mx.logaddexp(x, 0);
/** x / (1 + |x|). */
export const softsign = (x: mx.Array): mx.Array => t(() => mx.divide(x, mx.add(1, mx.abs(x))));
/** x - sign(x) lambd where |x| > lambd, else 0. */
export const softshrink = (x: mx.Array, lambd = 0.5): mx.Array =>
  t(() => mx.where(mx.greater(mx.abs(x), lambd), mx.subtract(x, mx.multiply(mx.sign(x), lambd)), 0));
/** max(x, 0) + alpha (e^(min(x, 0) / alpha) - 1). */
export const celu = (x: mx.Array, alpha = 1.0): mx.Array =>
  t(() => mx.add(mx.maximum(x, 0), mx.multiply(alpha, mx.subtract(mx.exp(mx.divide(mx.minimum(x, 0), alpha)), 1))));
/** x sigmoid(x). */
export const silu = (x: mx.Array): mx.Array => t(() => mx.multiply(x, mx.sigmoid(x)));
/** -softplus(-x). */
export const logSigmoid = (x: mx.Array): mx.Array => t(() => mx.negative(softplus(mx.negative(x))));
/** x (1 + erf(x / sqrt 2)) / 2. */
export const gelu = (x: mx.Array): mx.Array => t(() => mx.divide(mx.multiply(x, mx.add(1, mx.erf(mx.divide(x, Math.SQRT2)))), 2));
/** 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
export const geluApprox = (x: mx.Array): mx.Array =>
  t(() => mx.multiply(mx.multiply(0.5, x), mx.add(1, mx.tanh(mx.multiply(Math.sqrt(2 / Math.PI), mx.add(x, mx.multiply(0.044715, mx.power(x, 3))))))));
/** x sigmoid(1.702 x). */
export const geluFastApprox = (x: mx.Array): mx.Array => t(() => mx.multiply(x, mx.sigmoid(mx.multiply(1.702, x))));
/** a sigmoid(b) for the two halves a, b of `axis`. */
export function glu(x: mx.Array, axis = -1): mx.Array {
  return t(() => {
    const [a, b] = mx.split(x, 2, axis) as [mx.Array, mx.Array];
    return mx.multiply(a, mx.sigmoid(b));
  });
}
/** 1 where x > threshold, else 0. */
export const step = (x: mx.Array, threshold = 0.0): mx.Array => mx.where(mx.greater(x, threshold), 1, 0);
/** 1.0507 elu(x, 1.67326). */
export const selu = (x: mx.Array): mx.Array => t(() => mx.multiply(elu(x, 1.67326), 1.0507));
/** max(0, x) + alpha min(0, x). */
export const prelu = (x: mx.Array, alpha: mx.Array): mx.Array =>
  t(() => mx.add(mx.maximum(0, x), mx.multiply(alpha, mx.minimum(0, x))));
/** x tanh(softplus(x)). */
export const mish = (x: mx.Array): mx.Array => t(() => mx.multiply(x, mx.tanh(softplus(x))));
/** x min(max(x + 3, 0), 6) / 6. */
export const hardswish = (x: mx.Array): mx.Array =>
  t(() => mx.divide(mx.multiply(x, mx.minimum(mx.maximum(mx.add(x, 3), 0), 6)), 6));
/** min(max(x, minVal), maxVal). */
export const hardTanh = (x: mx.Array, minVal = -1.0, maxVal = 1.0): mx.Array => t(() => mx.minimum(mx.maximum(x, minVal), maxVal));
/** x where |x| > lambd, else 0. */
export const hardShrink = (x: mx.Array, lambd = 0.5): mx.Array => t(() => mx.where(mx.greater(mx.abs(x), lambd), x, 0));
/** softmax(-x, axis). */
export const softmin = (x: mx.Array, axis = -1): mx.Array => t(() => mx.softmax(mx.negative(x), axis));

// `npm run demo`: fits a linear model y = X w + b to generated data by gradient descent
// with mx.valueAndGrad, printing the loss as it falls and the recovered weights.
import * as mx from 'mlxjs';

const backend = await mx.init();
console.log(`mlxjs demo on the '${backend}' backend`);

// Generated data: 512 samples, 8 features, known weights plus a little noise.
const n = 512;
const d = 8;
const trueW = Float32Array.from({ length: d }, (_, i) => (i % 2 ? -1 : 1) * (0.5 + i / 4));
const trueB = 0.75;
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const xs = Float32Array.from({ length: n * d }, rand);
const ys = new Float32Array(n);
for (let i = 0; i < n; i++) {
  let s = trueB;
  for (let j = 0; j < d; j++) s += xs[i * d + j] * trueW[j];
  ys[i] = s + 0.01 * rand();
}
const X = mx.array(xs, [n, d]);
const y = mx.array(ys, [n, 1]);

let w = mx.zeros([d, 1]);
let b = mx.zeros([1]);
const lr = 0.3;
const steps = 60;
const barWidth = 30;

// Mean squared error; its gradient with respect to the parameters comes from the core.
const lossFn = (params, X, y) => {
  const err = mx.subtract(mx.add(mx.matmul(X, params.w), params.b), y);
  return mx.mean(mx.multiply(err, err));
};
const lossAndGrad = mx.valueAndGrad(lossFn);

for (let step = 1; step <= steps; step++) {
  const [nextW, nextB, loss] = mx.tidy(() => {
    const [loss, grads] = lossAndGrad({ w, b }, X, y);
    return [mx.subtract(w, mx.multiply(grads.w, lr)), mx.subtract(b, mx.multiply(grads.b, lr)), loss];
  });
  mx.eval(nextW, nextB, loss);
  w.dispose();
  b.dispose();
  w = nextW;
  b = nextB;
  if (step % 5 === 0 || step === 1) {
    const filled = Math.round((step / steps) * barWidth);
    const bar = '#'.repeat(filled) + '.'.repeat(barWidth - filled);
    console.log(`[${bar}] step ${String(step).padStart(3)}  loss ${loss.item().toExponential(3)}`);
  }
  loss.dispose();
}

const learned = w.toTypedArray();
const maxErr = Math.max(...Array.from(learned, (v, i) => Math.abs(v - trueW[i])), Math.abs(b.item() - trueB));
console.log(`true w:    ${Array.from(trueW, (v) => v.toFixed(3)).join(' ')}`);
console.log(`learned w: ${Array.from(learned, (v) => v.toFixed(3)).join(' ')}   b: ${b.item().toFixed(3)}`);
console.log(`largest parameter error: ${maxErr.toExponential(2)}`);
mx.dispose([X, y, w, b]);
if (maxErr > 0.05) {
  console.error('demo: the model did not converge');
  process.exit(1);
}

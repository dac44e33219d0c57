// A small classifier trained with mlxjs, shared by the Node demo (examples/demo.mjs) and
// the browser page (examples/browser/): a 2-64-64-3 MLP with ReLU on a generated data set of
// three interleaved spirals (2-D points, 3 classes; nothing downloaded), full-batch Adam on
// the softmax cross-entropy, gradients from mx.valueAndGrad.
import * as mx from 'mlxjs';

/** A deterministic generator (LCG) so every run sees the same data and initial weights. */
function generator(seed) {
  let s = seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/**
 * `perClass` points per class on `classes` spiral arms: radius r from 0 to 1, angle
 * 4 * (class + r) plus noise. Returns plain typed arrays: points [n, 2] and labels [n].
 */
export function makeSpirals({ perClass = 200, classes = 3, noise = 0.2, seed = 1 } = {}) {
  const g = generator(seed);
  const n = perClass * classes;
  const points = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const k = c * perClass + i;
      const r = i / (perClass - 1);
      const t = 4 * (c + r) + noise * g.normal();
      points[2 * k] = r * Math.sin(t);
      points[2 * k + 1] = r * Math.cos(t);
      labels[k] = c;
    }
  }
  return { points, labels, n, classes };
}

/** He-initialised layers [{ w, b }] for the given sizes. */
function initParams(sizes, seed) {
  const g = generator(seed);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
    const scale = Math.sqrt(2 / fanIn);
    const w = Float32Array.from({ length: fanIn * fanOut }, () => g.normal() * scale);
    layers.push({ w: mx.array(w, [fanIn, fanOut]), b: mx.zeros([fanOut]) });
  }
  return layers;
}

/** The logits of the MLP: ReLU between layers, none after the last. */
export function forward(params, x) {
  let h = x;
  params.forEach((layer, i) => {
    h = mx.add(mx.matmul(h, layer.w), layer.b);
    if (i < params.length - 1) h = mx.maximum(h, 0);
  });
  return h;
}

/** Mean softmax cross-entropy: logsumexp(logits) - the logit of the true class. */
function crossEntropy(params, x, onehot) {
  const logits = forward(params, x);
  return mx.mean(mx.subtract(mx.logsumexp(logits, 1), mx.sum(mx.multiply(logits, onehot), 1)));
}

/**
 * A trainer over the spirals: `step()` runs one Adam step and returns the loss (a number),
 * `accuracy(data?)` the fraction of points classified right, `dispose()` frees everything.
 */
export function createTrainer({ hidden = 64, lr = 0.02, seed = 7, data = makeSpirals() } = {}) {
  const x = mx.array(data.points, [data.n, 2]);
  const onehotValues = new Float32Array(data.n * data.classes);
  data.labels.forEach((c, i) => (onehotValues[i * data.classes + c] = 1));
  const onehot = mx.array(onehotValues, [data.n, data.classes]);
  const labels = mx.array(data.labels, [data.n], mx.int32);

  let params = initParams([2, hidden, hidden, data.classes], seed);
  let m = mx.treeMap(params, (p) => mx.zerosLike(p));
  let v = mx.treeMap(params, (p) => mx.zerosLike(p));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const lossAndGrad = mx.valueAndGrad(crossEntropy);
  let t = 0;

  function step() {
    t++;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const next = mx.tidy(() => {
      const [loss, grads] = lossAndGrad(params, x, onehot);
      const gs = mx.treeFlatten(grads);
      const ps = mx.treeFlatten(params);
      const ms = mx.treeFlatten(m).map((mi, i) => mx.add(mx.multiply(mi, beta1), mx.multiply(gs[i], 1 - beta1)));
      const vs = mx.treeFlatten(v).map((vi, i) => mx.add(mx.multiply(vi, beta2), mx.multiply(mx.square(gs[i]), 1 - beta2)));
      const update = (p, i) => mx.subtract(p, mx.divide(mx.multiply(ms[i], lr / c1), mx.add(mx.sqrt(mx.divide(vs[i], c2)), eps)));
      return {
        loss,
        params: mx.treeUnflatten(params, ps.map(update)),
        m: mx.treeUnflatten(m, ms),
        v: mx.treeUnflatten(v, vs),
      };
    });
    mx.eval(next);
    mx.dispose([params, m, v]);
    ({ params, m, v } = next);
    const value = next.loss.item();
    next.loss.dispose();
    return value;
  }

  /** The fraction of `other`'s points (default: the training data) classified right. */
  function accuracy(other) {
    return mx.tidy(() => {
      const [px, py] = other ? [mx.array(other.points, [other.n, 2]), mx.array(other.labels, [other.n], mx.int32)] : [x, labels];
      return mx.mean(mx.equal(mx.argmax(forward(params, px), 1), py)).item();
    });
  }

  function dispose() {
    mx.dispose([x, onehot, labels, params, m, v]);
  }

  return { step, accuracy, dispose, data };
}

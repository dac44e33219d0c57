// A small classifier trained with mlxjs, shared by the Node demo (examples/demo.mjs) and
// the browser page (examples/browser/): a 2-64-64-3 MLP with ReLU on a generated data set of
// three interleaved spirals (2-D points, 3 classes; nothing downloaded): nn.Sequential of
// nn.Linear layers, nn.losses.crossEntropy, full-batch optimizers.Adam.
import * as mx from 'mlxjs';

const { nn, optimizers: optim } = mx;

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

/** The classifier: Linear-ReLU-Linear-ReLU-Linear (MLX's nn layers, MLX's initialisation). */
function makeModel(hidden, classes) {
  return new nn.Sequential(new nn.Linear(2, hidden), new nn.ReLU(), new nn.Linear(hidden, hidden), new nn.ReLU(), new nn.Linear(hidden, classes));
}

/** Mean softmax cross-entropy of the model's logits against the class labels. */
const lossFn = (model, x, labels) => nn.losses.crossEntropy(model.forward(x), labels, { reduction: 'mean' });

/**
 * A trainer over the spirals: `step()` runs one Adam step and returns the loss (a number),
 * `accuracy(data?)` the fraction of points classified right, `dispose()` frees everything.
 * The step is the training loop of docs/training.md, written plainly: no tidy, no dispose.
 * The model and the optimizer own their arrays and free what they replace, so memory stays
 * flat; each step's scalar loss is left to the garbage collector.
 */
export function createTrainer({ hidden = 64, lr = 0.02, seed = 7, data = makeSpirals() } = {}) {
  const x = mx.array(data.points, [data.n, 2]);
  const labels = mx.array(data.labels, [data.n], mx.int32);
  mx.random.seed(seed);
  const model = makeModel(hidden, data.classes);
  const opt = new optim.Adam(lr);
  const lossAndGrad = nn.valueAndGrad(model, lossFn);

  function step() {
    const [loss, grads] = lossAndGrad(model, x, labels);
    opt.update(model, grads);
    mx.eval(model.parameters(), opt.state);
    return loss.item();
  }

  /** The fraction of `other`'s points (default: the training data) classified right. */
  function accuracy(other) {
    return mx.tidy(() => {
      const [px, py] = other ? [mx.array(other.points, [other.n, 2]), mx.array(other.labels, [other.n], mx.int32)] : [x, labels];
      return mx.mean(mx.equal(mx.argmax(model.forward(px), 1), py)).item();
    });
  }

  function dispose() {
    model.dispose();
    opt.dispose();
    mx.dispose([x, labels]);
  }

  return { step, accuracy, dispose, data };
}

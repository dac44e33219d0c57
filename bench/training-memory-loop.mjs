// The spec's training loop (docs/training.md), written exactly as a user writes it (no tidy,
// no dispose inside the loop), run for many steps while memory is sampled: active bytes and
// live arrays after warm-up, every 1,000 steps, and after a garbage collection at the end.
// Shared by the Node driver (bench/training-memory.mjs) and the Chromium page
// (bench/browser/training-memory.js): `gc` must be exposed (node --expose-gc, Chromium
// --js-flags=--expose-gc) for the end-of-run check to mean anything.
import * as mx from 'mlxjs';

const { nn, optimizers: optim } = mx;

class MLP extends nn.Module {
  constructor() {
    super();
    this.l1 = new nn.Linear(32, 128);
    this.l2 = new nn.Linear(128, 128);
    this.l3 = new nn.Linear(128, 10);
  }
  forward(x) {
    return this.l3.forward(nn.relu(this.l2.forward(nn.relu(this.l1.forward(x)))));
  }
}

/** A 2-layer causal character transformer (d_model 32, 2 heads), MLX's nn layers. */
class TinyLM extends nn.Module {
  constructor(vocab) {
    super();
    this.embed = new nn.Embedding(vocab, 32);
    this.encoder = new nn.TransformerEncoder(2, 32, 2, { mlpDims: 64 });
    this.head = new nn.Linear(32, vocab);
  }
  forward(tokens) {
    const mask = nn.MultiHeadAttention.createAdditiveCausalMask(tokens.shape[1]);
    return this.head.forward(this.encoder.forward(this.embed.forward(tokens), mask));
  }
}

/** Each model: the module, a batch and the loss. */
export const models = {
  mlp: () => ({ model: new MLP(), x: mx.random.normal([64, 32]), y: mx.random.randint(0, 10, [64]) }),
  transformer: () => ({ model: new TinyLM(32), x: mx.random.randint(0, 32, [8, 16]), y: mx.random.randint(0, 32, [8, 16]) }),
};

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * Trains `model` ('mlp' | 'transformer') for `steps` steps with Adam, eager or compiled,
 * calling `log(line)` as it goes. Resolves the memory at warm-up (step 100) and after the
 * final collection, the largest growth seen at a 1,000-step sample, and the seconds taken.
 */
export async function trainingMemory({ model: which, steps, compiled, log = () => {} }) {
  mx.random.seed(0);
  const { model, x, y } = models[which]();
  const opt = new optim.Adam(1e-3);
  const lossAndGrad = nn.valueAndGrad(model, (m, xs, ys) => nn.losses.crossEntropy(m.forward(xs), ys, { reduction: 'mean' }));
  const state = [model.state, opt.state, mx.random.state];
  const step = mx.compile((xs, ys) => {
    const [loss, grads] = lossAndGrad(model, xs, ys);
    opt.update(model, grads);
    return loss;
  }, { inputs: state, outputs: state });
  let warm;
  let loss;
  let firstLoss = NaN;
  let lastLoss = NaN;
  let maxGrowth = 0;
  const started = performance.now();
  log(`${which}, ${compiled ? 'compiled' : 'eager'}, ${steps} steps, backend '${mx.backendName()}'`);
  for (let i = 1; i <= steps; i++) {
    if (compiled) {
      loss = step(x, y);
      mx.eval(state);
    } else {
      let grads;
      [loss, grads] = lossAndGrad(model, x, y);
      opt.update(model, grads);
      mx.eval(model.parameters(), opt.state);
    }
    if (i === 1) firstLoss = loss.item();
    if (i === 100) {
      await settle();
      warm = mx.memory();
      log(`  step ${i}: activeBytes ${warm.activeBytes}, liveArrays ${warm.liveArrays} (baseline)`);
    } else if (i % 1000 === 0) {
      const m = mx.memory();
      const growth = m.activeBytes - warm.activeBytes;
      maxGrowth = Math.max(maxGrowth, growth);
      log(`  step ${i}: loss ${loss.item().toFixed(4)}, activeBytes ${m.activeBytes} (${growth >= 0 ? '+' : ''}${growth}), liveArrays ${m.liveArrays} (+${m.liveArrays - warm.liveArrays} uncollected losses)`);
    }
  }
  lastLoss = loss.item();
  const seconds = (performance.now() - started) / 1000;
  loss = undefined;
  await settle();
  const end = mx.memory();
  log(`  after a collection: activeBytes ${end.activeBytes} (${end.activeBytes - warm.activeBytes}), liveArrays ${end.liveArrays} (${end.liveArrays - warm.liveArrays}); loss ${firstLoss.toFixed(4)} -> ${lastLoss.toFixed(4)}; ${seconds.toFixed(1)} s`);
  step.dispose();
  model.dispose();
  opt.dispose();
  mx.dispose([x, y]);
  return {
    model: which, compiled, steps, seconds, firstLoss, lastLoss, maxGrowth,
    warm: { activeBytes: warm.activeBytes, liveArrays: warm.liveArrays },
    end: { activeBytes: end.activeBytes, liveArrays: end.liveArrays },
  };
}

// The spec's training loop (docs/training.md) for many steps, eager and compiled, reporting
// memory as it goes: active bytes and live arrays after warm-up, every 1,000 steps, and after
// a garbage collection at the end. Nothing may grow but the scalar losses not yet collected.
//   node --expose-gc bench/training-memory.mjs [steps=10000] [backend]
import * as mx from 'mlxjs';

const { nn, optimizers: optim } = mx;
const steps = Number(process.argv[2] ?? 10000);
const backend = await mx.init(process.argv[3] ? { backend: process.argv[3] } : {});

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

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const compiled of [false, true]) {
  mx.random.seed(0);
  const model = new MLP();
  const opt = new optim.Adam(1e-3);
  const x = mx.random.normal([64, 32]);
  const y = mx.random.randint(0, 10, [64]);
  const lossAndGrad = nn.valueAndGrad(model, (m, xs, ys) => nn.losses.crossEntropy(m.forward(xs), ys, { reduction: 'mean' }));
  const state = [model.state, opt.state, mx.random.state];
  const step = mx.compile((xs, ys) => {
    const [loss, grads] = lossAndGrad(model, xs, ys);
    opt.update(model, grads);
    return loss;
  }, { inputs: state, outputs: state });
  let warm;
  let loss;
  const started = performance.now();
  console.log(`${compiled ? 'compiled' : 'eager'} loop, ${steps} steps, backend '${backend}'`);
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
    if (i === 100) {
      await settle();
      warm = mx.memory();
      console.log(`  step ${i}: activeBytes ${warm.activeBytes}, liveArrays ${warm.liveArrays} (baseline)`);
    } else if (i % 1000 === 0) {
      const m = mx.memory();
      console.log(`  step ${i}: loss ${loss.item().toFixed(4)}, activeBytes ${m.activeBytes} (${m.activeBytes - warm.activeBytes >= 0 ? '+' : ''}${m.activeBytes - warm.activeBytes}), liveArrays ${m.liveArrays} (+${m.liveArrays - warm.liveArrays} uncollected losses)`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  loss = undefined;
  await settle();
  const end = mx.memory();
  console.log(`  after a collection: activeBytes ${end.activeBytes} (${end.activeBytes - warm.activeBytes}), liveArrays ${end.liveArrays} (${end.liveArrays - warm.liveArrays}); ${seconds.toFixed(1)} s`);
  step.dispose();
  model.dispose();
  opt.dispose();
  mx.dispose([x, y]);
}

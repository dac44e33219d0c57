// The ownership rule (spec nn.md, last section): modules own their arrays; update /
// loadWeights / setDtype / assignment free what they replace unless another module holds it
// or the user mx.keep's it; reading a freed array says which call freed it. A training loop
// written as in the spec (no tidy, no dispose) stays flat in memory.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { pathsOf } from './helpers/nn.js';

const { nn } = mx;
const gc = (globalThis as { gc?: () => void }).gc;

class MLP extends nn.Module {
  l1 = new nn.Linear(8, 32);
  l2 = new nn.Linear(32, 4);
  override forward(x: mx.Array): mx.Array {
    return this.l2.forward(nn.relu(this.l1.forward(x)));
  }
}

/** A plain SGD step (optimizers are their own package): consumes the gradients, as theirs will. */
function sgdStep(model: mx.nn.Module, grads: mx.nn.Params, lr: number): void {
  const g = new Map(pathsOf(grads));
  const next = mx.tidy(() => pathsOf(model.trainableParameters()).map(([p, w]) => [p, mx.subtract(w, mx.multiply(lr, g.get(p)!))] as const));
  model.loadWeights(next, false);
  mx.dispose(grads);
}

async function collect(until: () => boolean, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds && !until(); i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeEachBackend('nn ownership', () => {
  it.skipIf(gc === undefined)('a 300-step training loop written as in the spec leaks nothing', async () => {
    const start = mx.memory().liveArrays;
    const model = new MLP();
    const x = mx.random.normal([16, 8]);
    const y = mx.random.randint(0, 4, [16]);
    const lossFn = (m: MLP, xs: mx.Array, ys: mx.Array): mx.Array => nn.losses.crossEntropy(m.forward(xs), ys, { reduction: 'mean' });
    const lossAndGrad = nn.valueAndGrad(model, lossFn);
    // The loop body, written as in the spec; the losses are dropped (read only at the ends).
    const steps = (n: number): [number, number] => {
      let first = NaN;
      let last = NaN;
      for (let step = 1; step <= n; step++) {
        const [loss, grads] = lossAndGrad(model, x, y);
        sgdStep(model, grads, 0.1);
        mx.eval(model.parameters());
        if (step === 1) first = (loss as mx.Array).item() as number;
        if (step === n) last = (loss as mx.Array).item() as number;
      }
      return [first, last];
    };
    const [first] = steps(20);
    await collect(() => false, 3);
    const at20 = { bytes: mx.memory().activeBytes, live: mx.memory().liveArrays };
    const [, last] = steps(280);
    expect(last).toBeLessThan(first);
    // Without a collection only the 280 scalar losses may be extra (each well under 256 bytes).
    expect(mx.memory().activeBytes - at20.bytes).toBeLessThanOrEqual(280 * 256);
    await collect(() => mx.memory().liveArrays <= at20.live);
    expect(mx.memory().liveArrays).toBe(at20.live);
    expect(mx.memory().activeBytes).toBe(at20.bytes);
    model.dispose();
    mx.dispose([x, y]);
    // The last losses go with the garbage collector, and then nothing is left.
    await collect(() => mx.memory().liveArrays <= start);
    expect(mx.memory().liveArrays).toBe(start);
  });

  it.skipIf(gc === undefined)('BatchNorm running statistics and Dropout masks in the loop leak nothing either', async () => {
    const start = mx.memory().liveArrays;
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.BatchNorm(8), nn.relu, new nn.Dropout(0.2), new nn.Linear(8, 1));
    const x = mx.random.normal([8, 4]);
    const y = mx.random.normal([8, 1]);
    const lossAndGrad = nn.valueAndGrad(model, (m: mx.nn.Sequential, xs: mx.Array, ys: mx.Array) => nn.losses.mseLoss(m.forward(xs), ys));
    const steps = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const [, grads] = lossAndGrad(model, x, y);
        sgdStep(model, grads, 0.05);
        mx.eval(model.parameters());
      }
    };
    steps(10);
    await collect(() => false, 3);
    const at10 = { bytes: mx.memory().activeBytes, live: mx.memory().liveArrays };
    steps(40);
    await collect(() => mx.memory().liveArrays <= at10.live);
    expect(mx.memory().liveArrays).toBe(at10.live);
    expect(mx.memory().activeBytes).toBe(at10.bytes);
    model.dispose();
    mx.dispose([x, y]);
    await collect(() => mx.memory().liveArrays <= start);
    expect(mx.memory().liveArrays).toBe(start);
  });

  it('update, assignment, setDtype and loadWeights free what they replace; errors say which call', () => {
    const model = new MLP();
    mx.tidy(() => {
      const w = model.l1.weight;
      model.update({ l1: { weight: mx.zeros([32, 8]) } });
      expect(w.isDisposed).toBe(true);
      expect(() => w.item()).toThrow('[item] array was freed when Module.update replaced it; mx.keep(...) it to hold it.');
      const b = model.l1.bias!;
      model.l1.bias = mx.ones([32]);
      expect(() => b.tolist()).toThrow(/freed when an assignment to Linear.bias replaced it/);
      const w2 = model.l2.weight;
      model.setDtype(mx.float16);
      expect(() => w2.tolist()).toThrow(/freed when Module.setDtype replaced it/);
      const w3 = model.l2.weight;
      model.loadWeights(model.saveWeights().map(([p, v]) => [p, mx.astype(v, mx.float32)] as const));
      expect(() => w3.tolist()).toThrow(/freed when Module.loadWeights replaced it/);
    });
    // mx.keep opts out: the array stays the user's after replacement.
    const kept = mx.keep(model.l2.bias!);
    mx.tidy(() => model.update({ l2: { bias: mx.zeros([4]) } }));
    expect(kept.isDisposed).toBe(false);
    expect(kept.shape).toEqual([4]);
    kept.dispose();
    // An array shared by two modules lives until both let go.
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 2);
    const bOwn = b.weight;
    b.weight = a.weight;
    expect(bOwn.isDisposed).toBe(true);
    const shared = a.weight;
    mx.tidy(() => a.update({ weight: mx.zeros([2, 2]) }));
    expect(shared.isDisposed).toBe(false);
    expect(b.weight.shape).toEqual([2, 2]);
    mx.tidy(() => b.update({ weight: mx.ones([2, 2]) }));
    expect(shared.isDisposed).toBe(true);
    a.dispose();
    b.dispose();
    model.dispose();
  });

  it('held arrays outlive the tidy they were made in; dispose() frees a whole model', () => {
    const start = mx.memory().liveArrays;
    const model = mx.tidy(() => new MLP());
    expect(model.l1.weight.isDisposed).toBe(false);
    mx.eval(model.parameters());
    expect(mx.memory().liveArrays).toBe(start + 4);
    model.dispose();
    expect(mx.memory().liveArrays).toBe(start);
  });
});

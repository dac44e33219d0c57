// The training loop of the spec (nn.md, last section), written exactly so: no tidy, no
// dispose. Optimizers own their state and free what they replace, update consumes the
// gradients, so memory stays flat without the garbage collector: after warm-up, active
// bytes grow by no more than the scalar losses not yet collected, and after a collection
// live arrays and active bytes are exactly where they were.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const { nn, optimizers: optim } = mx;
const gc = (globalThis as { gc?: () => void }).gc;

class MLP extends nn.Module {
  l1 = new nn.Linear(8, 32);
  l2 = new nn.Linear(32, 4);
  override forward(x: mx.Array): mx.Array {
    return this.l2.forward(nn.relu(this.l1.forward(x)));
  }
}

/** A one-layer causal transformer over tokens, MLX's nn layers. */
class TinyLM extends nn.Module {
  embed = new nn.Embedding(16, 16);
  encoder = new nn.TransformerEncoder(1, 16, 2, { mlpDims: 32 });
  head = new nn.Linear(16, 16);
  override forward(tokens: mx.Array): mx.Array {
    const mask = nn.MultiHeadAttention.createAdditiveCausalMask(tokens.shape[1]!);
    return this.head.forward(this.encoder.forward(this.embed.forward(tokens), mask) as mx.Array);
  }
}

async function collect(until: () => boolean, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds && !until(); i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Setup {
  model: mx.nn.Module;
  x: mx.Array;
  y: mx.Array;
  lossFn: (m: any, x: mx.Array, y: mx.Array) => mx.Array;
}

const setups: Record<string, () => Setup> = {
  MLP: () => ({
    model: new MLP(),
    x: mx.random.normal([16, 8]),
    y: mx.random.randint(0, 4, [16]),
    lossFn: (m: MLP, x, y) => nn.losses.crossEntropy(m.forward(x), y, { reduction: 'mean' }),
  }),
  transformer: () => ({
    model: new TinyLM(),
    x: mx.random.randint(0, 16, [4, 8]),
    y: mx.random.randint(0, 16, [4, 8]),
    lossFn: (m: TinyLM, x, y) => nn.losses.crossEntropy(m.forward(x), y, { reduction: 'mean' }),
  }),
};

describeEachBackend('training loop memory', () => {
  for (const [name, setup] of Object.entries(setups)) {
    for (const [optName, makeOpt] of [
      ['Adam', () => new optim.Adam(1e-2)],
      ['SGD with momentum and clipping', () => new optim.SGD(1e-1, { momentum: 0.9 })],
      ['Adam, compiled', () => new optim.Adam(1e-2)],
    ] as const) {
      // The transformer runs once (with Adam) to keep the suite fast.
      if (name === 'transformer' && optName !== 'Adam') continue;
      const compiled = optName.includes('compiled');
      it.skipIf(gc === undefined)(`${name} + ${optName}: 300 steps leak nothing`, async () => {
        const start = mx.memory().liveArrays;
        const { model, x, y, lossFn } = setup();
        const opt = makeOpt();
        const clip = optName.includes('clipping');
        const lossAndGrad = nn.valueAndGrad(model, lossFn);
        // The compiled loop, as MLX writes it: the state trees are the compiled step's inputs and outputs.
        const state = [model.state, opt.state, mx.random.state];
        const compiledStep = mx.compile(
          (xs: mx.Array, ys: mx.Array) => {
            const [loss, grads] = lossAndGrad(model, xs, ys);
            opt.update(model, grads);
            return loss;
          },
          { inputs: state, outputs: state },
        );
        // The loop body, as in the spec; the losses are dropped (read only at the ends).
        const steps = (n: number): [number, number] => {
          let first = NaN;
          let last = NaN;
          for (let step = 1; step <= n; step++) {
            let loss: unknown;
            if (compiled) {
              loss = compiledStep(x, y);
              mx.eval(state);
            } else {
              let grads: mx.nn.Params;
              [loss, grads] = lossAndGrad(model, x, y);
              opt.update(model, clip ? optim.clipGradNorm(grads, 1.0)[0] : grads);
              mx.eval(model.parameters(), opt.state);
            }
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
        // Without a collection only the scalar losses (and clipGradNorm's norms) may be extra.
        expect(mx.memory().activeBytes - at20.bytes).toBeLessThanOrEqual(280 * (clip ? 2 : 1) * 256);
        await collect(() => mx.memory().liveArrays <= at20.live);
        // At most step 20's values: a finalizer of step 20's garbage (a dropped loss) may only
        // run in this later collection, so the count can end one lower, never higher.
        expect(mx.memory().liveArrays).toBeLessThanOrEqual(at20.live);
        expect(mx.memory().activeBytes).toBeLessThanOrEqual(at20.bytes);
        compiledStep.dispose();
        model.dispose();
        opt.dispose();
        mx.dispose([x, y]);
        await collect(() => mx.memory().liveArrays <= start);
        expect(mx.memory().liveArrays).toBe(start);
      });
    }
  }
});

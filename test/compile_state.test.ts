// mx.compile with state, as MLX: `inputs`/`outputs` trees (a module's state, an optimizer's
// state, mx.random.state) captured implicitly and written back after each call; randomness
// inside draws new values each call; numbers are constants with a bounded trace cache; errors
// name compile. Also mx.random.state and mx.issubdtype.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const { nn, optimizers: optim } = mx;

class MLP extends nn.Module {
  l1 = new nn.Linear(4, 16);
  drop = new nn.Dropout(0.0);
  l2 = new nn.Linear(16, 3);
  constructor(p = 0) {
    super();
    this.drop = new nn.Dropout(p);
  }
  override forward(x: mx.Array): mx.Array {
    return this.l2.forward(this.drop.forward(nn.relu(this.l1.forward(x))) as mx.Array);
  }
}

const lossFn = (m: MLP, x: mx.Array, y: mx.Array): mx.Array => nn.losses.crossEntropy(m.forward(x), y, { reduction: 'mean' });

describeEachBackend('compile with state', () => {
  it('a compiled training step (model, optimizer and random state as inputs and outputs) gives the eager losses', () => mx.tidy(() => {
    const x = mx.random.normal([8, 4], { key: mx.random.key(1) });
    const y = mx.random.randint(0, 3, [8], { key: mx.random.key(2) });
    const eager = new MLP();
    const compiledModel = new MLP();
    compiledModel.update(mx.utils.treeMap((a: mx.Array) => mx.astype(a, a.dtype), eager.parameters()));
    const run = (model: MLP, compiled: boolean): number[] => {
      const opt = new optim.Adam(0.05);
      const lossAndGrad = nn.valueAndGrad(model, lossFn);
      const state = [model.state, opt.state, mx.random.state];
      const step = (xs: mx.Array, ys: mx.Array): mx.Array => {
        const [loss, grads] = lossAndGrad(model, xs, ys);
        opt.update(model, grads);
        return loss as mx.Array;
      };
      const f = compiled ? mx.compile(step, { inputs: state, outputs: state }) : step;
      const losses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const loss = f(x, y) as mx.Array;
        mx.eval(state);
        losses.push(loss.item() as number);
        loss.dispose();
      }
      if (compiled) (f as mx.CompiledFunction<[mx.Array, mx.Array]>).dispose();
      expect(opt.step.item()).toBe(6);
      opt.dispose();
      return losses;
    };
    const a = run(eager, false);
    const b = run(compiledModel, true);
    expect(b[5]!).toBeLessThan(b[0]!);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    eager.dispose();
    compiledModel.dispose();
  }));

  it('randomness inside a compiled function draws new values every call when mx.random.state is captured', () => {
    const state = [mx.random.state];
    const drop = (x: mx.Array): mx.Array => mx.multiply(x, mx.random.bernoulli(0.5, x.shape));
    const withState = mx.compile(drop, { inputs: state, outputs: state });
    const frozen = mx.compile(drop);
    mx.tidy(() => {
      const x = mx.ones([64]);
      const a = withState(x) as mx.Array;
      const b = withState(x) as mx.Array;
      mx.eval(state);
      expect(mx.arrayEqual(a, b).item()).toBe(false);
      // The same draws as eager code from the same key.
      mx.random.seed(7);
      const c = withState(x) as mx.Array;
      mx.random.seed(7);
      expect(mx.arrayEqual(c, drop(x)).item()).toBe(true);
      // Without the state, the key is a constant of the trace (as in MLX).
      const d = frozen(x) as mx.Array;
      const e = frozen(x) as mx.Array;
      expect(mx.arrayEqual(d, e).item()).toBe(true);
      // A compiled call leaves the new key lazy: evaluate the state, as MLX's examples do.
      mx.eval(state);
    });
    withState.dispose();
    frozen.dispose();
  });

  it('mx.random.state is [key]: seed sets it, random functions advance it', () => {
    mx.random.seed(5);
    expect(mx.random.state.length).toBe(1);
    expect(mx.random.state[0]!.tolist()).toEqual([0, 5]);
    mx.tidy(() => {
      const expected = mx.random.split(mx.random.key(5));
      mx.random.uniform();
      expect(mx.random.state[0]!.tolist()).toEqual((expected.tolist() as number[][])[0]);
    });
  });

  it('numbers are constants; the trace cache is bounded; a function of no arrays compiles', () => {
    let traces = 0;
    const f = mx.compile((x: mx.Array, k: number) => {
      traces++;
      return mx.multiply(x, k);
    });
    mx.tidy(() => {
      const x = mx.array([1, 2]);
      for (let k = 0; k < 40; k++) expect((f(x, k) as mx.Array).tolist()).toEqual([k, 2 * k]);
      expect(traces).toBe(40);
      f(x, 39);
      expect(traces).toBe(40);
      f(x, 0); // the oldest traces were dropped
      expect(traces).toBe(41);
      const g = mx.compile(() => mx.add(mx.array(1), 2));
      expect((g() as mx.Array).item()).toBe(3);
      g.dispose();
    });
    f.dispose();
  });

  it('an error inside a compiled function names compile', () => {
    const f = mx.compile((x: mx.Array) => ((x.item() as number) > 0 ? x : mx.negative(x)));
    mx.tidy(() => {
      expect(() => f(mx.array(2))).toThrow(/^\[compile\] Attempting to evaluate an array without a value: inside compile/);
    });
    const g = mx.compile((x: mx.Array) => mx.matmul(x, x));
    mx.tidy(() => {
      expect(() => g(mx.ones([2, 3]))).toThrow(/^\[compile\] \[matmul\]/);
    });
    f.dispose();
    g.dispose();
  });

  it('mx.issubdtype with MLX categories', () => {
    expect(mx.issubdtype(mx.float16, mx.floating)).toBe(true);
    expect(mx.issubdtype(mx.bfloat16, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.int8, mx.signedinteger)).toBe(true);
    expect(mx.issubdtype(mx.uint32, mx.signedinteger)).toBe(false);
    expect(mx.issubdtype(mx.uint32, mx.integer)).toBe(true);
    expect(mx.issubdtype(mx.int32, mx.number)).toBe(true);
    expect(mx.issubdtype(mx.bool, mx.number)).toBe(false);
    expect(mx.issubdtype(mx.bool, mx.generic)).toBe(true);
    expect(mx.issubdtype(mx.float32, mx.complexfloating)).toBe(false);
    expect(mx.issubdtype(mx.float32, mx.float32)).toBe(true);
    expect(mx.issubdtype(mx.float32, mx.float16)).toBe(false);
    expect(mx.issubdtype(mx.floating, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.number, mx.integer)).toBe(false);
    expect(mx.issubdtype(mx.floating, mx.float32)).toBe(false);
    mx.tidy(() => expect(mx.issubdtype(mx.array([1, 2], mx.int32), mx.integer)).toBe(true));
  });
});

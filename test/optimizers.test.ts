// mlxjs.optimizers against test/fixtures/optimizers.json (gen_optimizers.py): PyTorch 1.13's
// torch.optim where it defines MLX's update, MLX's formulas in NumPy elsewhere. Each case runs
// four updates with fixed gradients and compares the parameters after each.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixture from './fixtures/optimizers.json';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { dec, type Enc, expectEnc } from './helpers/nn.js';

const optim = mx.optimizers;

interface Case {
  source: string;
  options: Record<string, unknown>;
  params: Record<string, Enc>;
  grads: Record<string, Enc>[];
  after: Record<string, Enc>[];
}

/** The optimizer a fixture case names, built with the case's options. */
function make(name: string, o: Record<string, any>): mx.optimizers.Optimizer {
  const kind = name.split(' ')[0]!;
  const { learningRate, ...rest } = o;
  switch (kind) {
    case 'SGD': return new optim.SGD(learningRate, rest);
    case 'RMSprop': return new optim.RMSprop(learningRate, rest);
    case 'Adagrad': return new optim.Adagrad(learningRate, rest);
    case 'AdaDelta': return new optim.AdaDelta(learningRate, rest);
    case 'Adam': return new optim.Adam(learningRate, rest);
    case 'AdamW': return new optim.AdamW(learningRate, rest);
    case 'Adamax': return new optim.Adamax(learningRate, rest);
    case 'Lion': return new optim.Lion(learningRate, rest);
    case 'Adafactor': return new optim.Adafactor(learningRate ?? null, rest);
    case 'Muon': return new optim.Muon(learningRate, rest);
    default: throw new Error(`no optimizer for ${name}`);
  }
}

const cases = Object.entries(fixture).filter(([k]) => k !== 'clipGradNorm') as [string, Case][];

describeEachBackend('optimizers', () => {
  it.each(cases.map(([name, c]) => [`${name} (${c.source})`, name, c] as const))('%s follows the reference trajectory', (_label, name, c) => {
    const opt = make(name, c.options);
    mx.tidy(() => {
      let params: Record<string, mx.Array> = { w: dec(c.params.w!), b: dec(c.params.b!) };
      c.grads.forEach((g, step) => {
        const grads = { w: dec(g.w!), b: dec(g.b!) };
        params = opt.applyGradients(grads, params);
        mx.eval(params, opt.state);
        // The gradients were consumed.
        expect(grads.w.isDisposed).toBe(true);
        expectEnc(params.w, c.after[step]!.w!, 2e-5, `${name} w after step ${step + 1}`);
        expectEnc(params.b, c.after[step]!.b!, 2e-5, `${name} b after step ${step + 1}`);
      });
      expect(opt.step.item()).toBe(c.grads.length);
    });
    opt.dispose();
  });

  it('clipGradNorm scales to maxNorm and returns the total norm (as torch.nn.utils.clip_grad_norm_)', () => {
    const c = fixture.clipGradNorm;
    mx.tidy(() => {
      const grads = { w: dec(c.grads.w), b: dec(c.grads.b) };
      const [clipped, norm] = optim.clipGradNorm(grads, c.maxNorm);
      expect(norm.item()).toBeCloseTo(c.norm, 5);
      expect(norm.item()).toBeCloseTo(c.torchNorm, 5);
      expectEnc(clipped.w, c.clipped.w, 1e-6);
      expectEnc(clipped.b, c.torchClipped.b, 1e-6);
      expect(grads.w.isDisposed).toBe(true);
      expect(() => grads.w.item()).toThrow('[item] array was freed when clipGradNorm consumed it; mx.keep(...) it to hold it.');
      // Under the threshold nothing changes; kept gradients are not freed.
      const small = mx.keep({ g: mx.array([0.1, 0.2]) });
      const [same] = optim.clipGradNorm(small, 10);
      expect(mx.allclose(same.g, small.g).item()).toBe(true);
      expect(small.g.isDisposed).toBe(false);
      mx.dispose(small);
    });
  });

  it('schedules: MLX formulas at given steps; a schedule drives the learning rate', () => {
    const at = (s: (step: number) => mx.Array, step: number): number => mx.tidy(() => s(step).item() as number);
    expect(at(optim.exponentialDecay(0.1, 0.9), 3)).toBeCloseTo(0.1 * 0.9 ** 3, 7);
    expect(at(optim.stepDecay(0.1, 0.9, 10), 21)).toBeCloseTo(0.1 * 0.9 ** 2, 7);
    const cos = optim.cosineDecay(0.1, 1000);
    expect(at(cos, 0)).toBeCloseTo(0.1, 7);
    expect(at(cos, 250)).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI / 4)), 6);
    expect(at(cos, 5000)).toBeCloseTo(0, 7);
    expect(at(optim.cosineDecay(0.1, 10, 0.02), 10)).toBeCloseTo(0.02, 7);
    const lin = optim.linearSchedule(0, 0.1, 100);
    expect(at(lin, 50)).toBeCloseTo(0.05, 7);
    expect(at(lin, 200)).toBeCloseTo(0.1, 7);
    expect(() => optim.linearSchedule(0, 1, 0)).toThrow('[linear_schedule] steps must be greater than 0, but got 0.');
    const warm = optim.joinSchedules([optim.linearSchedule(0, 0.1, 10), optim.cosineDecay(0.1, 200)], [10]);
    expect(at(warm, 5)).toBeCloseTo(0.05, 7);
    expect(at(warm, 10)).toBeCloseTo(0.1, 7);
    expect(at(warm, 110)).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI / 2)), 6);
    expect(() => optim.joinSchedules([], [])).toThrow('[join_schedules] Must provide at least 1 schedule to join.');

    // The optimizer evaluates the schedule at the step before each update (0 first), as MLX.
    const opt = new optim.SGD(optim.exponentialDecay(1, 0.5));
    expect(opt.learningRate.item()).toBeCloseTo(1, 7);
    mx.tidy(() => {
      let p = { x: mx.array([0]) };
      const lrs: number[] = [];
      for (let i = 0; i < 3; i++) {
        p = opt.applyGradients({ x: mx.array([1]) }, p);
        lrs.push(opt.learningRate.item() as number);
      }
      expect(lrs).toEqual([1, 0.5, 0.25]);
      expect(p.x.item()).toBeCloseTo(-1.75, 6);
    });
    opt.dispose();
  });

  it('state: step and learning_rate arrays, per-parameter state shaped like the parameters; assignable to resume', () => {
    const opt = new optim.Adam(0.01);
    const model = new mx.nn.Sequential(new mx.nn.Linear(2, 2), new mx.nn.Linear(2, 1));
    const lossFn = (m: typeof model, x: mx.Array): mx.Array => mx.sum(mx.square(m.forward(x) as mx.Array));
    const step = mx.nn.valueAndGrad(model, lossFn);
    const x = mx.array([[1, 2], [3, 4]]);
    for (let i = 0; i < 2; i++) {
      const [loss, g] = step(model, x);
      loss.dispose();
      opt.update(model, g);
      mx.eval(model.parameters(), opt.state);
    }
    const paths = mx.utils.treeFlatten(opt.state).map(([p]) => p);
    expect(paths).toEqual([
      'step', 'learning_rate',
      'layers.0.weight.m', 'layers.0.weight.v', 'layers.0.bias.m', 'layers.0.bias.v',
      'layers.1.weight.m', 'layers.1.weight.v', 'layers.1.bias.m', 'layers.1.bias.v',
    ]);
    expect(opt.step.dtype).toBe(mx.uint64);
    expect(opt.learningRate.item()).toBeCloseTo(0.01, 7);

    // Save (pairs), go on two steps; a second optimizer resumed from the pairs does the same.
    const saved = mx.keep(mx.utils.treeFlatten(opt.state).map(([p, v]) => [p, mx.astype(v as mx.Array, (v as mx.Array).dtype)] as [string, mx.Array]));
    const savedModel = mx.keep(model.saveWeights().map(([p, v]) => [p, mx.astype(v, v.dtype)] as [string, mx.Array]));
    mx.eval(saved, savedModel);
    const run2 = (m: typeof model, o: mx.optimizers.Optimizer): number[] => {
      const vg = mx.nn.valueAndGrad(m, lossFn);
      for (let i = 0; i < 2; i++) {
        const [loss, g] = vg(m, x);
        loss.dispose();
        o.update(m, g);
        mx.eval(m.parameters(), o.state);
      }
      return mx.tidy(() => mx.utils.treeFlatten<mx.Array>(m.parameters()).flatMap(([, v]) => Array.from(v.reshape(-1).toTypedArray() as Float32Array)));
    };
    const first = run2(model, opt);
    const model2 = new mx.nn.Sequential(new mx.nn.Linear(2, 2), new mx.nn.Linear(2, 1));
    model2.loadWeights(savedModel);
    const opt2 = new optim.Adam(0.5);
    opt2.state = mx.utils.treeUnflatten(saved);
    expect(opt2.learningRate.item()).toBeCloseTo(0.01, 7);
    expect(run2(model2, opt2)).toEqual(first);
    expect(opt2.step.item()).toBe(4);
    for (const m of [model, model2]) m.dispose();
    for (const o of [opt, opt2]) o.dispose();
    mx.dispose([x, saved, savedModel]);
  });

  it('MultiOptimizer sends each parameter to the first optimizer whose filter takes it', () => {
    const sgd = new optim.SGD(1);
    const adam = new optim.Adam(0.1);
    const multi = new optim.MultiOptimizer([sgd, adam], [(path) => path.endsWith('bias')]);
    mx.tidy(() => {
      const params = { w: mx.array([1, 1]), bias: mx.array([1, 1]) };
      const out = multi.applyGradients({ w: mx.array([2, -2]), bias: mx.array([0.5, 0.5]) }, params);
      // bias by SGD: 1 - 0.5; w by Adam's first step (MLX: no bias correction):
      // 1 - 0.1 * (0.1 g) / (sqrt(0.001 g^2) + 1e-8).
      expect(out.bias.tolist()).toEqual([0.5, 0.5]);
      const adamStep = (g: number): number => 1 - (0.1 * (0.1 * g)) / (Math.sqrt(0.001 * g * g) + 1e-8);
      expectClose(out.w.tolist(), [adamStep(2), adamStep(-2)], 1e-6);
      expect(Object.keys(multi.state)).toEqual(['states']);
      expect(mx.utils.treeFlatten(multi.state).map(([p]) => p)).toEqual([
        'states.0.step', 'states.0.learning_rate', 'states.0.bias.v', 'states.1.step', 'states.1.learning_rate', 'states.1.w.m', 'states.1.w.v',
      ]);
    });
    expect(() => new optim.MultiOptimizer([sgd, adam])).toThrow('[MultiOptimizer] Given 0 filters but 1 needed.');
    multi.dispose();
  });

  it('checks arguments as MLX does', () => {
    expect(() => new optim.SGD(0.1, { nesterov: true })).toThrow('[SGD] Nesterov momentum requires a momentum and zero dampening.');
    expect(() => new optim.Adafactor(null, { relativeStep: false })).toThrow(/learning rate is required/);
  });
});

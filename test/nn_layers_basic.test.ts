// nn activations (functions and modules), Linear, Bilinear, Embedding, Identity, Sequential
// and nn.init against PyTorch / formula fixtures (test/fixtures/gen_nn.py).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkLayer, dec, expectEnc, type Enc, type LayerCase } from './helpers/nn.js';
import nnFixture from './fixtures/nn.json';

const fx = nnFixture as unknown as {
  activations: Record<string, LayerCase>;
  step: { x: Enc; out: Enc };
  prelu: LayerCase; linear: LayerCase; linearNoBias: LayerCase; bilinear: LayerCase;
  embedding: LayerCase & { indices: Enc };
};
const { nn } = mx;
type Fn = (x: mx.Array) => mx.Array;

const moduleOf: Record<string, () => mx.nn.Module> = {
  sigmoid: () => new nn.Sigmoid(), tanh: () => new nn.Tanh(), relu: () => new nn.ReLU(), relu6: () => new nn.ReLU6(),
  leakyRelu: () => new nn.LeakyReLU(), logSoftmax: () => new nn.LogSoftmax(), elu: () => new nn.ELU(),
  softmax: () => new nn.Softmax(), softplus: () => new nn.Softplus(), softsign: () => new nn.Softsign(),
  softshrink: () => new nn.Softshrink(), celu: () => new nn.CELU(), silu: () => new nn.SiLU(),
  logSigmoid: () => new nn.LogSigmoid(), gelu: () => new nn.GELU(), geluApprox: () => new nn.GELU('precise'),
  glu: () => new nn.GLU(), mish: () => new nn.Mish(), hardswish: () => new nn.Hardswish(), hardTanh: () => new nn.HardTanh(),
  hardShrink: () => new nn.HardShrink(), softmin: () => new nn.Softmin(), relu2: () => new nn.ReLU2(),
  geluFastApprox: () => new nn.GELU('fast'), selu: () => new nn.SELU(),
};

describeEachBackend('nn layers: activations, linear, embedding', () => {
  it('activation functions and modules match PyTorch / MLX formulas, values and gradients', () => {
    for (const [name, c] of Object.entries(fx.activations)) {
      const fn = (nn as unknown as Record<string, Fn>)[name]!;
      expect(typeof fn, name).toBe('function');
      const plain = new nn.Identity();
      checkLayer(plain, c, (_m, x) => fn(x!), 2e-5);
      const m = moduleOf[name]!();
      mx.tidy(() => expectEnc(m.forward(dec(c.inputs.x!)) as mx.Array, c.out, 2e-5, name));
      expect(String(m)).toMatch(/^[A-Za-z0-9]+\(\)$/);
    }
    mx.tidy(() => {
      expectEnc(nn.step(dec(fx.step.x)), fx.step.out, 0);
      expectEnc(new nn.Step().forward(dec(fx.step.x)), fx.step.out, 0);
      // geluApprox's tanh alias, and a bad approximation name.
      expect(() => new nn.GELU('bad' as 'none')).toThrow("[GELU] The approximation should be in ['none', 'precise', 'tanh', 'fast'] but 'bad' was given.");
    });
  });

  it('PReLU learns a slope per last-axis channel, initialised to 0.25', () => {
    const p = new nn.PReLU(3);
    expect(p.weight.tolist()).toEqual([0.25, 0.25, 0.25]);
    checkLayer(p, fx.prelu, (m, x) => m.forward(x!) as mx.Array);
    p.dispose();
  });

  it('Linear matches F.linear with and without bias, gradients included', () => {
    const l = new nn.Linear(4, 5);
    expect(l.weight.shape).toEqual([5, 4]);
    expect(l.bias!.shape).toEqual([5]);
    // U(-1/2, 1/2) for 4 inputs.
    expect(mx.tidy(() => mx.max(mx.abs(l.weight)).item() as number)).toBeLessThanOrEqual(0.5);
    expect(String(l)).toBe('Linear(input_dims=4, output_dims=5, bias=True)');
    checkLayer(l, fx.linear, (m, x) => m.forward(x!) as mx.Array);
    mx.tidy(() => expect(() => l.forward(mx.zeros([2, 3]))).toThrow('[Linear] Expected input with last dimension 4, got 3.'));
    l.dispose();
    const nb = new nn.Linear(4, 2, { bias: false });
    expect(Object.keys(nb.parameters())).toEqual(['weight']);
    expect(String(nb)).toBe('Linear(input_dims=4, output_dims=2, bias=False)');
    checkLayer(nb, fx.linearNoBias, (m, x) => m.forward(x!) as mx.Array);
    nb.dispose();
  });

  it('Bilinear matches F.bilinear with MLX’s [out, in2, in1] weight', () => {
    const b = new nn.Bilinear(4, 5, 6);
    expect(b.weight.shape).toEqual([6, 5, 4]);
    expect(String(b)).toBe('Bilinear(input1_dims=4, input2_dims=5, output_dims=6, bias=True)');
    checkLayer(b, fx.bilinear, (m, x1, x2) => m.forward(x1!, x2!) as mx.Array);
    b.dispose();
  });

  it('Embedding looks rows up, asLinear multiplies by weight^T', () => {
    const e = new nn.Embedding(5, 3);
    expect(String(e)).toBe('Embedding(5, 3)');
    mx.tidy(() => {
      const idx = dec(fx.embedding.indices, mx.int32);
      checkLayer(e, fx.embedding, (m) => m.forward(idx) as mx.Array);
      const x = mx.array([[1, 0, 2]]);
      const expected = mx.matmul(x, e.weight.T);
      expect(e.asLinear(x).tolist()).toEqual(expected.tolist());
      expect(() => e.forward(mx.array([0.5]))).toThrow('[Embedding] Expected integer indices, got float32.');
    });
    e.dispose();
  });

  it('Identity and Sequential (modules and functions) compose in order', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), nn.relu, new nn.Identity(), new nn.Linear(3, 1));
    mx.tidy(() => {
      const x = mx.array([[1, -2], [0.5, 3]]);
      const [l0, , , l3] = seq.layers as [mx.nn.Linear, Fn, mx.nn.Identity, mx.nn.Linear];
      const ref = l3.forward(mx.maximum(l0.forward(x), 0));
      expect(seq.forward(x).tolist()).toEqual(ref.tolist());
      const p = seq.parameters();
      expect(Object.keys(p)).toEqual(['layers']);
      expect((p.layers as unknown[]).map((q) => Object.keys(q as object))).toEqual([['weight', 'bias'], [], [], ['weight', 'bias']]);
    });
    expect(String(seq)).toBe(
      'Sequential(\n  (layers.0): Linear(input_dims=2, output_dims=3, bias=True)\n  (layers.2): Identity()\n  (layers.3): Linear(input_dims=3, output_dims=1, bias=True)\n)',
    );
    seq.dispose();
  });

  it('nn.init gives MLX’s shapes, dtypes and distributions', () => {
    mx.tidy(() => {
      const a = mx.zeros([64, 32]);
      expect(nn.init.constant(0.5)(a).tolist()).toEqual(mx.full([64, 32], 0.5).tolist());
      expect(nn.init.identity()(mx.zeros([3, 3])).tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
      expect(() => nn.init.identity()(a)).toThrow('[identity] The input array must be a square matrix but got shape [64, 32].');
      const stat = (x: mx.Array): [number, number] => [mx.mean(x).item() as number, mx.std(x).item() as number];
      const big = mx.zeros([200, 100]);
      const near = ([m, s]: [number, number], em: number, es: number): void => {
        expect(Math.abs(m - em)).toBeLessThan(0.02 + es * 0.05);
        expect(Math.abs(s - es) / es).toBeLessThan(0.05);
      };
      near(stat(nn.init.normal(1, 2)(big)), 1, 2);
      near(stat(nn.init.uniform(-1, 3)(big)), 1, 4 / Math.sqrt(12));
      near(stat(nn.init.glorotNormal()(big)), 0, Math.sqrt(2 / 300));
      near(stat(nn.init.glorotUniform()(big)), 0, Math.sqrt(6 / 300) / Math.sqrt(3));
      near(stat(nn.init.heNormal()(big)), 0, 1 / Math.sqrt(100));
      near(stat(nn.init.heNormal()(big, 'fan_out', 2)), 0, 2 / Math.sqrt(200));
      near(stat(nn.init.heUniform()(big)), 0, Math.sqrt(3 / 100) / Math.sqrt(3));
      // Receptive field: a conv weight [8, 3, 3, 4] has fan_in 36, fan_out 72.
      near(stat(nn.init.heNormal()(mx.zeros([80, 3, 3, 40]))), 0, 1 / Math.sqrt(360));
      expect(() => nn.init.glorotNormal()(mx.zeros([3]))).toThrow('Glorot / He initialization requires at least 2 dimensional input but input with 1 dimensions.');
      expect(() => nn.init.heNormal()(big, 'bad' as 'fan_in')).toThrow('Invalid mode: bad. Valid modes are: fan_in, fan_out');
      expect(nn.init.normal(0, 1, mx.float16)(a).dtype).toBe(mx.float16);
      // sparse: ceil(0.3 * 10) = 3 zeros in every row.
      const sp = nn.init.sparse(0.3)(mx.zeros([6, 10]));
      const zerosPerRow = mx.sum(mx.equal(sp, 0), 1).tolist();
      expect(zerosPerRow).toEqual([3, 3, 3, 3, 3, 3]);
      // orthogonal: rows orthonormal for a wide matrix, columns for a tall one, times gain.
      const w = nn.init.orthogonal()(mx.zeros([3, 5]));
      expect(mx.allclose(mx.matmul(w, w.T), mx.identity(3), 1e-4, 1e-5).item()).toBe(true);
      const t = nn.init.orthogonal(2)(mx.zeros([5, 3]));
      expect(mx.allclose(mx.matmul(t.T, t), mx.multiply(4, mx.identity(3)), 1e-4, 1e-4).item()).toBe(true);
    });
  });
});

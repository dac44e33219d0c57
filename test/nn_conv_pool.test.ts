// nn Conv1d/2d/3d, ConvTranspose1d/2d/3d, pooling and Upsample against PyTorch (channels moved
// last, weights permuted to MLX's layouts) and MLX's own nearest grid for fractional scales.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkLayer, dec, expectEnc, type Enc, type LayerCase } from './helpers/nn.js';
import nnFixture from './fixtures/nn.json';
import conv3dFixture from './fixtures/conv3d.json';

type Args = Record<string, number | number[]>;
const fx = nnFixture as unknown as {
  conv: Record<string, LayerCase & { args: Args }>;
  convTranspose: Record<string, LayerCase & { args: Args }>;
  pool: Record<string, LayerCase & { args: Args }>;
  upsample: Record<string, LayerCase> & { nearestFractional: { inputs: { x: Enc }; out: Enc } };
};
const { nn } = mx;
const fwd = (m: mx.nn.Module, x?: mx.Array): mx.Array => m.forward(x!) as mx.Array;
const pairOf = (v: number | number[]): number | [number, number] => (typeof v === 'number' ? v : [v[0]!, v[1]!]);

describeEachBackend('nn convolution, pooling, upsampling', () => {
  it('Conv1d / Conv2d match PyTorch (stride, padding, dilation, groups), gradients included', () => {
    for (const [name, c] of Object.entries(fx.conv)) {
      const w = c.params.weight!.shape;
      const [out, cinG] = [w[0]!, w[w.length - 1]!];
      const { stride, padding, dilation, groups } = c.args as { stride: number; padding: number; dilation: number; groups: number };
      const m = w.length === 3
        ? new nn.Conv1d(cinG * groups, out, w[1]!, { stride, padding, dilation, groups })
        : new nn.Conv2d(cinG * groups, out, [w[1]!, w[2]!], { stride: pairOf(stride), padding: pairOf(padding), dilation: pairOf(dilation), groups });
      expect(m.get('weight') as mx.Array, name).toBeDefined();
      expect((m.get('weight') as mx.Array).shape).toEqual(w);
      checkLayer(m, c, fwd, 1e-4);
      m.dispose();
    }
    const c1 = new nn.Conv1d(4, 6, 3, { stride: 2, padding: 1, groups: 2 });
    expect(String(c1)).toBe('Conv1d(4, 6, kernel_size=3, stride=2, padding=1, dilation=1, groups=2, bias=True)');
    expect((c1.bias!.tolist() as number[]).every((v) => v === 0)).toBe(true);
    const c2 = new nn.Conv2d(3, 8, 3, { bias: false });
    expect(String(c2)).toBe('Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, bias=False)');
    expect(c2.weight.shape).toEqual([8, 3, 3, 3]);
    mx.tidy(() => {
      expect(() => c1.forward(mx.zeros([1, 5, 3]))).toThrow('[Conv1d] Expected input with 4 channels (last dimension), got 3.');
      expect(() => c2.forward(mx.zeros([5, 5, 3]))).toThrow('[Conv2d] Expected input of shape [N, H, W, C], got shape [5, 5, 3].');
    });
    expect(() => new nn.Conv1d(3, 4, 3, { groups: 2 })).toThrow('[Conv1d] The number of input channels (3) must be divisible by the number of groups (2).');
    c1.dispose();
    c2.dispose();
  });

  it('ConvTranspose1d / ConvTranspose2d match PyTorch, gradients included', () => {
    for (const c of Object.values(fx.convTranspose)) {
      const w = c.params.weight!.shape;
      const { stride, padding, dilation, output_padding: outputPadding } = c.args;
      const m = w.length === 3
        ? new nn.ConvTranspose1d(w[2]!, w[0]!, w[1]!, { stride: stride as number, padding: padding as number, dilation: dilation as number, outputPadding: outputPadding as number })
        : new nn.ConvTranspose2d(w[3]!, w[0]!, [w[1]!, w[2]!], { stride: pairOf(stride!), padding: pairOf(padding!), dilation: pairOf(dilation!), outputPadding: pairOf(outputPadding!) });
      checkLayer(m, c, fwd, 1e-4);
      m.dispose();
    }
    const t = new nn.ConvTranspose2d(2, 3, [2, 3], { stride: 2 });
    expect(String(t)).toBe('ConvTranspose2d(2, 3, kernel_size=(2, 3), stride=(2, 2), padding=(0, 0), dilation=(1, 1), output_padding=(0, 0), bias=True)');
    expect(t.weight.shape).toEqual([3, 2, 3, 2]);
    t.dispose();
  });

  it('Conv3d / ConvTranspose3d: MLX shapes, init, repr, errors, and PyTorch values with given weights', () => {
    const c3 = new nn.Conv3d(4, 6, [3, 2, 1], { stride: 2, padding: [1, 0, 0], groups: 2 });
    expect(c3.weight.shape).toEqual([6, 3, 2, 1, 2]);
    expect(c3.bias!.shape).toEqual([6]);
    expect((c3.bias!.tolist() as number[]).every((v) => v === 0)).toBe(true);
    // MLX's init: uniform in +-sqrt(1 / (in * kd * kh * kw)).
    const bound = Math.sqrt(1 / (4 * 3 * 2 * 1));
    const largest = mx.tidy(() => mx.max(mx.abs(c3.weight)).item() as number);
    expect(largest).toBeLessThanOrEqual(bound);
    expect(largest).toBeGreaterThan(bound / 2);
    expect(String(c3)).toBe('Conv3d(4, 6, kernel_size=(3, 2, 1), stride=(2, 2, 2), padding=(1, 0, 0), dilation=(1, 1, 1), groups=2, bias=True)');
    expect(Object.keys(c3.parameters()).sort()).toEqual(['bias', 'weight']);
    const t3 = new nn.ConvTranspose3d(2, 3, 2, { stride: [2, 1, 1], bias: false });
    expect(t3.weight.shape).toEqual([3, 2, 2, 2, 2]);
    expect(t3.bias).toBeUndefined();
    expect(String(t3)).toBe('ConvTranspose3d(2, 3, kernel_size=(2, 2, 2), stride=(2, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), output_padding=(0, 0, 0), bias=False)');
    mx.tidy(() => {
      expect(c3.forward(mx.zeros([1, 5, 4, 3, 4])).shape).toEqual([1, 3, 2, 2, 6]);
      expect(t3.forward(mx.zeros([2, 3, 3, 3, 2])).shape).toEqual([2, 6, 4, 4, 3]);
      expect(() => c3.forward(mx.zeros([1, 5, 4, 4]))).toThrow('[Conv3d] Expected input of shape [N, D, H, W, C], got shape [1, 5, 4, 4].');
      expect(() => c3.forward(mx.zeros([1, 5, 4, 3, 2]))).toThrow('[Conv3d] Expected input with 4 channels (last dimension), got 2.');
      expect(() => t3.forward(mx.zeros([1, 3, 3, 3, 3]))).toThrow('[ConvTranspose3d] Expected input with 2 channels (last dimension), got 3.');
    });
    expect(() => new nn.Conv3d(3, 4, 3, { groups: 2 })).toThrow('[Conv3d] The number of input channels (3) must be divisible by the number of groups (2).');
    c3.dispose();
    t3.dispose();
    // The layers with the PyTorch fixture's weights (conv3d.json) and a bias give its output + bias.
    type FxCase = { op: string; inputs: Enc[]; args: Record<string, number | number[]>; out: Enc };
    const cases = (conv3dFixture as unknown as { cases: FxCase[] }).cases;
    const tr = (v: number | number[]): number | [number, number, number] => (typeof v === 'number' ? v : [v[0]!, v[1]!, v[2]!]);
    for (const c of cases.filter((k) => k.op === 'conv3d' || (k.op === 'conv_transpose3d' && k.args['groups'] === 1))) {
      mx.tidy(() => {
        const [x, w] = c.inputs.map((e) => dec(e)) as [mx.Array, mx.Array];
        const [out, kd, kh, kw, cin] = w.shape as [number, number, number, number, number];
        const { stride, padding, dilation, groups, outputPadding } = c.args;
        const m = c.op === 'conv3d'
          ? new nn.Conv3d(cin * (groups as number), out, [kd, kh, kw], { stride: tr(stride!), padding: tr(padding!), dilation: tr(dilation!), groups: groups as number })
          : new nn.ConvTranspose3d(cin, out, [kd, kh, kw], { stride: tr(stride!), padding: tr(padding!), dilation: tr(dilation!), outputPadding: tr(outputPadding!) });
        const bias = mx.arange(out, mx.float32);
        m.update({ weight: w, bias });
        const ref = mx.add(dec(c.out), bias);
        expect(mx.allclose(fwd(m, x), ref, 1e-5, 1e-5).item(), c.op).toBe(true);
        m.dispose();
      });
    }
  });

  it('MaxPool / AvgPool 1d-3d match PyTorch, gradients included', () => {
    const make: Record<string, (k: number | number[], o: mx.nn.PoolOptions) => mx.nn.Module> = {
      maxPool1d: (k, o) => new nn.MaxPool1d(k, o), avgPool1d: (k, o) => new nn.AvgPool1d(k, o),
      maxPool2d: (k, o) => new nn.MaxPool2d(k, o), avgPool2d: (k, o) => new nn.AvgPool2d(k, o),
      maxPool3d: (k, o) => new nn.MaxPool3d(k, o), avgPool3d: (k, o) => new nn.AvgPool3d(k, o),
    };
    for (const [name, c] of Object.entries(fx.pool)) {
      const { kernel_size: k, stride, padding } = c.args;
      const m = make[name]!(k!, { stride: stride ?? null, padding: padding ?? 0 });
      checkLayer(m, c, fwd, 1e-5);
    }
    expect(String(new nn.MaxPool2d(2))).toBe('MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))');
    expect(String(new nn.AvgPool1d(3, { stride: 1, padding: 1 }))).toBe('AvgPool1d(kernel_size=(3,), stride=(1,), padding=(1,))');
    mx.tidy(() => {
      expect(() => new nn.MaxPool2d(2).forward(mx.zeros([4, 4, 1]))).toThrow('[MaxPool2d] Expected input of shape [N, H, W, C], got shape [4, 4, 1].');
    });
    expect(() => new nn.MaxPool1d(2, { padding: 2 })).toThrow('[MaxPool1d] padding 2 should be at most half of the kernel size 2.');
  });

  it('Upsample nearest / linear / cubic (alignCorners) match PyTorch; fractional nearest uses MLX’s grid', () => {
    const cases: [string, mx.nn.Upsample][] = [
      ['nearest2d', new nn.Upsample([2, 3])],
      ['linear1d', new nn.Upsample(2, { mode: 'linear' })],
      ['linear1dAlign', new nn.Upsample(3, { mode: 'linear', alignCorners: true })],
      ['bilinear', new nn.Upsample(2, { mode: 'linear' })],
      ['bilinearAlign', new nn.Upsample([2, 3], { mode: 'linear', alignCorners: true })],
      ['bicubic', new nn.Upsample(2, { mode: 'cubic' })],
      ['bicubicAlign', new nn.Upsample(2, { mode: 'cubic', alignCorners: true })],
    ];
    for (const [name, m] of cases) checkLayer(m, fx.upsample[name]!, fwd, 1e-4);
    mx.tidy(() => {
      const f = fx.upsample.nearestFractional;
      expectEnc(new nn.Upsample([1.5, 2.5]).forward(dec(f.inputs.x)), f.out, 1e-6);
      expect(() => new nn.Upsample(2).forward(mx.zeros([2, 3]))).toThrow('[Upsample] The input should have at least 1 spatial dimension');
      expect(() => new nn.Upsample([2, 2]).forward(mx.zeros([1, 2, 3]))).toThrow('One scale per spatial dimension is required');
    });
    expect(String(new nn.Upsample(2, { mode: 'cubic' }))).toBe("Upsample(scale_factor=2.0, mode='cubic', align_corners=False)");
    expect(() => new nn.Upsample(2, { mode: 'area' as 'linear' })).toThrow('[Upsample] Got unsupported upsampling algorithm: area.');
  });
});

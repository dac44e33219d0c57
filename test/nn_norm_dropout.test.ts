// nn normalization layers (LayerNorm, RMSNorm, GroupNorm, InstanceNorm, BatchNorm) against
// PyTorch / MLX-formula fixtures, and Dropout / Dropout2d / Dropout3d's MLX behaviours.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkLayer, dec, expectEnc, paramTree, type Enc, type LayerCase } from './helpers/nn.js';
import nnFixture from './fixtures/nn.json';

const fx = nnFixture as unknown as Record<string, LayerCase> & {
  batchNormRunning: { before: Record<string, Enc>; after: Record<string, Enc> };
};
const { nn } = mx;
const fwd = (m: mx.nn.Module, x?: mx.Array): mx.Array => m.forward(x!) as mx.Array;

describeEachBackend('nn normalization and dropout', () => {
  it('LayerNorm, RMSNorm, GroupNorm (both groupings) and InstanceNorm match, gradients included', () => {
    const cases: [mx.nn.Module, LayerCase, string][] = [
      [new nn.LayerNorm(6), fx.layerNorm!, 'LayerNorm(6, eps=1e-05, affine=True)'],
      [new nn.RMSNorm(6), fx.rmsNorm!, 'RMSNorm(6, eps=1e-05)'],
      [new nn.GroupNorm(3, 6, { pytorchCompatible: true }), fx.groupNormTorch!, 'GroupNorm(3, 6, eps=1e-05, affine=True, pytorch_compatible=True)'],
      [new nn.GroupNorm(3, 6), fx.groupNormMlx!, 'GroupNorm(3, 6, eps=1e-05, affine=True, pytorch_compatible=False)'],
      [new nn.InstanceNorm(3, { affine: true }), fx.instanceNorm!, 'InstanceNorm(3, eps=1e-05, affine=True)'],
    ];
    for (const [m, c, repr] of cases) {
      expect(String(m)).toBe(repr);
      checkLayer(m, c, fwd, 2e-4);
      m.dispose();
    }
    const ln = new nn.LayerNorm(4, { affine: false });
    expect(Object.keys(ln.parameters())).toEqual([]);
    const lnb = new nn.LayerNorm(4, { bias: false });
    expect(Object.keys(lnb.parameters())).toEqual(['weight']);
    expect(Object.keys(new nn.InstanceNorm(4).parameters())).toEqual([]);
    mx.tidy(() => {
      expect(() => ln.forward(mx.zeros([2, 3]))).toThrow('[LayerNorm] Expected input with last dimension 4, got 3.');
      // Without affine parameters the output is standardised: mean 0, variance 1 per row.
      const y = ln.forward(mx.array([[1, 2, 3, 4], [10, 0, -10, 4]]));
      expect(mx.allclose(mx.mean(y, -1), mx.zeros([2]), 1e-5, 1e-5).item()).toBe(true);
    });
    ln.dispose();
    lnb.dispose();
  });

  it('BatchNorm: batch statistics and running-stat updates in train(), running stats in eval()', () => {
    const bn = new nn.BatchNorm(5);
    expect(String(bn)).toBe('BatchNorm(5, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    expect(Object.keys(bn.parameters())).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
    expect(Object.keys(bn.trainableParameters())).toEqual(['weight', 'bias']);
    bn.unfreeze();
    expect(Object.keys(bn.trainableParameters())).toEqual(['weight', 'bias']);
    // Training: the forward pass and gradients are PyTorch's.
    checkLayer(bn, fx.batchNormTrain!, fwd, 2e-4);
    // One training step moves the running statistics by momentum 0.1 (biased variance).
    mx.tidy(() => {
      bn.update(paramTree(fx.batchNormRunning.before));
      bn.forward(dec(fx.batchNormTrain!.inputs.x!));
      expectEnc(bn.running_mean!, fx.batchNormRunning.after.running_mean!, 1e-5);
      expectEnc(bn.running_var!, fx.batchNormRunning.after.running_var!, 1e-5);
      // Inside nn.valueAndGrad too (a training step), then evaluated with the parameters.
      bn.update(paramTree(fx.batchNormRunning.before));
      const x = dec(fx.batchNormTrain!.inputs.x!);
      const [, g] = nn.valueAndGrad(bn, (m: mx.nn.BatchNorm, xs: mx.Array) => mx.sum(m.forward(xs)))(bn, x);
      expect(Object.keys(g)).toEqual(['weight', 'bias']);
      mx.eval(bn.parameters());
      expectEnc(bn.running_mean!, fx.batchNormRunning.after.running_mean!, 1e-5);
    });
    // Eval: the running statistics normalise, and they do not move.
    bn.eval();
    mx.tidy(() => bn.update(paramTree(fx.batchNormRunning.before)));
    checkLayer(bn, fx.batchNormEval!, fwd, 2e-4);
    mx.tidy(() => expectEnc(bn.running_mean!, fx.batchNormRunning.before.running_mean!, 1e-6));
    mx.tidy(() => {
      expect(() => bn.forward(mx.zeros([5]))).toThrow('[BatchNorm] Expected input tensor to have 2, 3 or 4 dimensions, but got 1.');
    });
    bn.dispose();
    const plain = new nn.BatchNorm(3, { affine: false, trackRunningStats: false });
    expect(Object.keys(plain.parameters())).toEqual([]);
    plain.eval();
    // Without running statistics eval mode still uses the batch's.
    mx.tidy(() => {
      const y = plain.forward(mx.array([[1, 2, 3], [3, 6, 9]]));
      expect(mx.allclose(y, mx.array([[-1, -1, -1], [1, 1, 1]]), 1e-4, 1e-4).item()).toBe(true);
    });
    plain.dispose();
  });

  it('Dropout zeroes with probability p and scales by 1/(1-p) in train(), identity in eval()', () => {
    const d = new nn.Dropout(0.25);
    expect(String(d)).toBe('Dropout(p=0.25)');
    mx.tidy(() => {
      const x = mx.ones([100, 100]);
      const y = d.forward(x);
      const kept = mx.sum(mx.notEqual(y, 0)).item() as number;
      expect(Math.abs(kept / 1e4 - 0.75)).toBeLessThan(0.03);
      // The kept values are 1 / 0.75.
      expect(mx.allclose(mx.max(y), mx.array(4 / 3), 1e-6, 1e-6).item()).toBe(true);
      // A different mask on each call.
      expect(mx.arrayEqual(d.forward(x), d.forward(x)).item()).toBe(false);
      d.eval();
      expect(d.forward(x)).toBe(x);
      expect(new nn.Dropout(0).forward(x)).toBe(x);
      expect(() => new nn.Dropout(1)).toThrow('[Dropout] The dropout probability 1 is not in [0, 1).');
      const d2 = new nn.Dropout2d(0.5);
      const img = mx.ones([4, 3, 3, 16]);
      const y2 = d2.forward(img);
      // Each (sample, channel) is either all zero or all 2 over H and W.
      const perChannel = mx.sum(y2, [1, 2]);
      expect((perChannel.reshape(-1).tolist() as number[]).every((v) => v === 0 || v === 18)).toBe(true);
      expect(() => d2.forward(mx.ones([2, 3]))).toThrow('[Dropout2d] Received input with 2 dimensions. Expected 3 or 4 dimensions.');
      const d3 = new nn.Dropout3d(0.5);
      const vol = d3.forward(mx.ones([2, 2, 2, 2, 8]));
      expect((mx.sum(vol, [1, 2, 3]).reshape(-1).tolist() as number[]).every((v) => v === 0 || v === 16)).toBe(true);
      expect(() => d3.forward(mx.ones([2, 3, 4]))).toThrow('Expected 4 or 5 dimensions.');
    });
  });
});

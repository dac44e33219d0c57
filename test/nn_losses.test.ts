// nn.losses against PyTorch (same formulas) and MLX's own formulas where PyTorch differs
// (test/fixtures/gen_nn.py): values, reductions, options and input gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { dec, expectEnc, type Enc, type LayerCase } from './helpers/nn.js';
import nnFixture from './fixtures/nn.json';

const fx = nnFixture as unknown as { losses: Record<string, LayerCase>; lossData: Record<string, Enc> };
const L = mx.nn.losses;

describeEachBackend('nn.losses', () => {
  it('match the fixtures, values and gradients', () => {
    mx.tidy(() => {
      const d = Object.fromEntries(Object.entries(fx.lossData).map(([k, e]) => [k, dec(e)]));
      const classes = dec(fx.lossData.classes!, mx.int32);
      const calls: Record<string, (x: mx.Array) => mx.Array> = {
        crossEntropy: (x) => L.crossEntropy(x, classes),
        crossEntropyMean: (x) => L.crossEntropy(x, classes, { reduction: 'mean' }),
        crossEntropySmooth: (x) => L.crossEntropy(x, classes, { labelSmoothing: 0.2 }),
        crossEntropyProbs: (x) => L.crossEntropy(x, d.probs!),
        crossEntropyWeights: (x) => L.crossEntropy(x, classes, { weights: d.sampleWeights! }),
        crossEntropyAxis0: (x) => L.crossEntropy(x, classes, { axis: 0 }),
        bceLogits: (x) => L.binaryCrossEntropy(x, d.t01!),
        bceLogitsNone: (x) => L.binaryCrossEntropy(x, d.t01!, { reduction: 'none' }),
        bceProbs: (x) => L.binaryCrossEntropy(x, d.t01!, { withLogits: false, reduction: 'sum' }),
        l1: (x) => L.l1Loss(x, d.targ!),
        mse: (x) => L.mseLoss(x, d.targ!, { reduction: 'sum' }),
        nll: (x) => L.nllLoss(x, classes),
        gaussianNll: (x) => L.gaussianNllLoss(x, d.targ!, d.p01!),
        gaussianNllFull: (x) => L.gaussianNllLoss(x, d.targ!, d.p01!, { full: true, reduction: 'none' }),
        klDiv: (x) => L.klDivLoss(x, d.logq!),
        smoothL1: (x) => L.smoothL1Loss(x, mx.multiply(d.targ!, 2), { beta: 0.5 }),
        triplet: (x) => L.tripletLoss(x, d.pred!, d.targ!),
        hinge: (x) => L.hingeLoss(x, d.signs!),
        huber: (x) => L.huberLoss(x, mx.multiply(d.targ!, 2), { delta: 0.7 }),
        logCosh: (x) => L.logCoshLoss(x, d.targ!),
        cosineSimilarity: (x) => L.cosineSimilarityLoss(x, d.targ!),
        marginRanking: (x) => L.marginRankingLoss(x, d.targ!, d.signs!, { margin: 0.1 }),
      };
      expect(Object.keys(calls).sort()).toEqual(Object.keys(fx.losses).sort());
      for (const [name, c] of Object.entries(fx.losses)) {
        const x = dec(Object.values(c.inputs)[0]!);
        const f = calls[name]!;
        expectEnc(f(x), c.out, 2e-5, name);
        const cot = dec(c.cot);
        const g = mx.grad((y: mx.Array) => mx.sum(mx.multiply(f(y), cot)))(x) as mx.Array;
        expectEnc(g, Object.values(c.grads)[0]!, 2e-5, `${name} gradient`);
      }
    });
  });

  it('check shapes, reductions and label smoothing as MLX does', () => {
    mx.tidy(() => {
      const logits = mx.zeros([4, 5]);
      expect(() => L.crossEntropy(logits, mx.zeros([3], mx.int32))).toThrow('[cross_entropy] Targets shape [3] does not match logits shape [4, 5].');
      expect(() => L.crossEntropy(logits, mx.zeros([4], mx.int32), { labelSmoothing: 1 })).toThrow('Label smoothing must in [0, 1), got 1.');
      expect(() => L.crossEntropy(logits, mx.zeros([4], mx.int32), { weights: mx.ones([3]) })).toThrow(
        'Weights with shape [3] is not the same as output loss with shape [4].',
      );
      expect(() => L.mseLoss(logits, mx.zeros([4]), {})).toThrow('[mse_loss] Predictions shape [4, 5] does not match targets shape [4].');
      expect(() => L.binaryCrossEntropy(logits, mx.zeros([4]))).toThrow('[binary_cross_entropy] Inputs shape [4, 5] does not match targets shape [4].');
      expect(() => L.l1Loss(logits, logits, { reduction: 'max' as 'sum' })).toThrow("Invalid reduction. Must be 'none', 'mean', or 'sum'.");
      expect(() => L.marginRankingLoss(logits, logits, mx.zeros([4]))).toThrow('The shapes of the arguments do not match.');
      // Uniform logits: every class has log 5, whatever the target.
      expect(L.crossEntropy(logits, mx.array([0, 1, 2, 3], mx.int32), { reduction: 'sum' }).item()).toBeCloseTo(4 * Math.log(5), 5);
      // BCE without logits clips log(0) at -100.
      expect(L.binaryCrossEntropy(mx.array([0, 1]), mx.array([1, 0]), { withLogits: false, reduction: 'none' }).tolist()).toEqual([100, 100]);
      // Defaults: mse/l1 'mean', hinge 'none'.
      expect(L.mseLoss(mx.array([1, 3]), mx.array([0, 0])).item()).toBe(5);
      expect(L.hingeLoss(mx.array([0.5, 2]), mx.array([1, 1])).tolist()).toEqual([0.5, 0]);
    });
  });
});

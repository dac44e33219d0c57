// nn.QuantizedLinear, nn.QuantizedEmbedding and nn.quantize (MLX's names and layout): the
// layers compute exactly what mx.quantizedMatmul / mx.dequantize give on their members,
// those members are mx.quantize of the float layer's weight, the packed members stay frozen,
// and nn.quantize swaps the selected leaf modules in place.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';

const { nn } = mx;
const list = (x: mx.Array): number[] => Array.from(x.toTypedArray() as ArrayLike<number>);

describeEachBackend('nn quantized layers', () => {
  it('QuantizedLinear.fromLinear / toQuantized: members are mx.quantize of the weight; forward is quantizedMatmul + bias', () => {
    const lin = new nn.Linear(64, 8);
    const q = lin.toQuantized(32, 4);
    expect(q).toBeInstanceOf(nn.QuantizedLinear);
    expect(Object.keys(q.parameters()).sort()).toEqual(['bias', 'biases', 'scales', 'weight']);
    expect(q.weight.dtype).toBe(mx.uint32);
    expect(q.weight.shape).toEqual([8, 8]);
    expect(q.scales.shape).toEqual([8, 2]);
    expect(String(q)).toBe('QuantizedLinear(input_dims=64, output_dims=8, bias=True, group_size=32, bits=4, mode=affine)');
    expect(Object.keys(q.trainableParameters())).toEqual([]);
    q.unfreeze();
    expect(Object.keys(q.trainableParameters())).toEqual([]);
    mx.tidy(() => {
      const [w, s, b] = mx.quantize(lin.weight, { groupSize: 32, bits: 4 });
      expect(list(q.weight)).toEqual(list(w));
      expect(list(q.scales)).toEqual(list(s));
      expect(list(q.biases!)).toEqual(list(b));
      const x = mx.array(lcgData(3 * 64, 2), [3, 64]);
      const want = mx.add(mx.quantizedMatmul(x, w, s, b, { groupSize: 32, bits: 4 }), lin.bias!);
      expect(list(q.forward(x) as mx.Array)).toEqual(list(want));
      // Close to the float layer (4-bit error of U(-1/8, 1/8) weights).
      const err = mx.max(mx.abs(mx.subtract(q.forward(x) as mx.Array, lin.forward(x) as mx.Array))).item() as number;
      expect(err).toBeLessThan(0.1);
    });
    const defaults = nn.QuantizedLinear.fromLinear(lin, { bits: 8 });
    expect([defaults.groupSize, defaults.bits, defaults.mode]).toEqual([64, 8, 'affine']);
    const fresh = new nn.QuantizedLinear(128, 4, false);
    expect(fresh.weight.shape).toEqual([4, 16]);
    expect(fresh.bias).toBeUndefined();
    expect(String(fresh)).toBe('QuantizedLinear(input_dims=128, output_dims=4, bias=False, group_size=64, bits=4, mode=affine)');
    for (const m of [lin, q, defaults, fresh]) m.dispose();
  });

  it('QuantizedEmbedding: lookups dequantize the rows, asLinear is quantizedMatmul', () => {
    const emb = new nn.Embedding(10, 64);
    const q = nn.QuantizedEmbedding.fromEmbedding(emb, 64, 8);
    expect(String(q)).toBe('QuantizedEmbedding(10, 64, group_size=64, bits=8, mode=affine)');
    mx.tidy(() => {
      const idx = mx.array([3, 0, 9], mx.int32);
      const full = mx.dequantize(q.weight, q.scales, q.biases, { groupSize: 64, bits: 8 });
      expect(list(q.forward(idx) as mx.Array)).toEqual(list(mx.take(full, idx, 0)));
      const x = mx.array(lcgData(2 * 64, 4), [2, 64]);
      expect(list(q.asLinear(x))).toEqual(list(mx.quantizedMatmul(x, q.weight, q.scales, q.biases, { groupSize: 64, bits: 8 })));
      expect(() => q.forward(mx.array([0.5]))).toThrow('[QuantizedEmbedding] Expected integer indices, got float32.');
    });
    emb.dispose();
    q.dispose();
  });

  it('nn.quantize swaps Linear and Embedding leaves in place, honouring classPredicate', () => {
    const model = new nn.Sequential(new nn.Embedding(16, 32), new nn.Linear(32, 64), new nn.ReLU(), new nn.Linear(64, 32));
    nn.quantize(model, 32, 4);
    const layers = (model as unknown as { layers: mx.nn.Module[] }).layers;
    expect(layers.map((l) => l.constructor.name)).toEqual(['QuantizedEmbedding', 'QuantizedLinear', 'ReLU', 'QuantizedLinear']);
    mx.tidy(() => {
      const y = model.forward(mx.array([1, 2], mx.int32)) as mx.Array;
      expect(y.shape).toEqual([2, 32]);
    });
    const m2 = new nn.Sequential(new nn.Linear(32, 32), new nn.Linear(32, 32));
    nn.quantize(m2, { groupSize: 32, bits: 8, classPredicate: (path) => path === 'layers.1' });
    const l2 = (m2 as unknown as { layers: mx.nn.Module[] }).layers;
    expect(l2.map((l) => l.constructor.name)).toEqual(['Linear', 'QuantizedLinear']);
    expect((l2[1] as mx.nn.QuantizedLinear).bits).toBe(8);
    model.dispose();
    m2.dispose();
  });

  it('the floating-point modes: MLX defaults per mode, no biases, quantizedMatmul with the mode', () => {
    const lin = new nn.Linear(64, 8);
    for (const [mode, gs, bits] of [['mxfp4', 32, 4], ['mxfp8', 32, 8], ['nvfp4', 16, 4]] as const) {
      const q = nn.QuantizedLinear.fromLinear(lin, { mode });
      expect([q.groupSize, q.bits, q.mode]).toEqual([gs, bits, mode]);
      expect(q.biases).toBeUndefined();
      expect(q.scales.dtype).toBe(mx.uint8);
      expect(Object.keys(q.parameters()).sort()).toEqual(['bias', 'scales', 'weight']);
      mx.tidy(() => {
        const [w, s] = mx.quantize(lin.weight, { mode });
        expect(list(q.weight)).toEqual(list(w!));
        const x = mx.array(lcgData(3 * 64, 2), [3, 64]);
        const want = mx.add(mx.quantizedMatmul(x, w!, s!, null, { mode }), lin.bias!);
        expect(list(q.forward(x) as mx.Array)).toEqual(list(want));
      });
      q.dispose();
      const e = new nn.QuantizedEmbedding(10, 64, { mode });
      expect(e.biases).toBeUndefined();
      mx.tidy(() => {
        const idx = mx.array([3, 0], mx.int32);
        const full = mx.dequantize(e.weight, e.scales, null, { mode });
        expect(list(e.forward(idx) as mx.Array)).toEqual(list(mx.take(full, idx, 0)));
      });
      e.dispose();
    }
    lin.dispose();
  });
});

// nn MultiHeadAttention, Transformer encoder/decoder layers (checked by the generator
// against torch.nn.TransformerEncoderLayer/DecoderLayer), the Transformer stacks, RoPE,
// SinusoidalPositionalEncoding and ALiBi (formulas written out here).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkLayer, dec, type Enc, type LayerCase } from './helpers/nn.js';
import { expectClose } from './helpers/close.js';
import nnFixture from './fixtures/nn.json';

const fx = nnFixture as unknown as Record<string, LayerCase> & { mha: LayerCase & { mask: Enc } };
const { nn } = mx;

describeEachBackend('nn attention and transformers', () => {
  it('MultiHeadAttention with distinct input dims, bias and an additive mask, gradients included', () => {
    const m = new nn.MultiHeadAttention(8, 2, { queryInputDims: 6, keyInputDims: 3, valueInputDims: 5, valueDims: 4, valueOutputDims: 7, bias: true });
    expect(m.query_proj.weight.shape).toEqual([8, 6]);
    expect(m.out_proj.weight.shape).toEqual([7, 4]);
    mx.tidy(() => {
      const mask = dec(fx.mha.mask);
      checkLayer(m, fx.mha, (mod, q, k, v) => mod.forward(q!, k!, v!, mask) as mx.Array, 1e-4);
      // MLX's keyword argument as a trailing options object.
      checkLayer(m, fx.mha, (mod, q, k, v) => mod.forward(q!, k!, v!, { mask }) as mx.Array, 1e-4);
    });
    m.dispose();
    expect(() => new nn.MultiHeadAttention(6, 4)).toThrow('(6 % 4) != 0');
    const plain = new nn.MultiHeadAttention(4, 2);
    expect(Object.keys(plain.parameters().query_proj as object)).toEqual(['weight']);
    plain.dispose();
    mx.tidy(() => {
      const mask = nn.MultiHeadAttention.createAdditiveCausalMask(3);
      const v = mask.tolist() as number[][];
      // 0 * lowest is -0 above the diagonal's complement, as in MLX.
      expectClose(v, [[0, -3.4028234663852886e38, -3.4028234663852886e38], [0, 0, -3.4028234663852886e38], [0, 0, 0]], 0);
      expectClose(nn.MultiHeadAttention.createAdditiveCausalMask(2, mx.float16).tolist(), [[0, -65504], [0, 0]], 0);
    });
  });

  it('TransformerEncoderLayer (pre- and post-norm) and TransformerDecoderLayer match PyTorch’s, gradients included', () => {
    mx.tidy(() => {
      const mask5 = nn.MultiHeadAttention.createAdditiveCausalMask(5);
      for (const [name, normFirst] of [['encoderLayer', true], ['encoderLayerPostNorm', false]] as const) {
        const l = new nn.TransformerEncoderLayer(8, 2, { mlpDims: 16, normFirst });
        checkLayer(l, fx[name]!, (m, x) => m.forward(x!, mask5) as mx.Array, 2e-4);
        l.dispose();
      }
      const d = new nn.TransformerDecoderLayer(8, 2, { mlpDims: 16 });
      const mask3 = nn.MultiHeadAttention.createAdditiveCausalMask(3);
      checkLayer(d, fx.decoderLayer!, (m, x, mem) => m.forward(x!, mem!, mask3, null) as mx.Array, 2e-4);
      d.dispose();
    });
  });

  it('TransformerEncoder / Decoder / Transformer stack their layers and end with a LayerNorm', () => {
    const t = new nn.Transformer({ dims: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 1, mlpDims: 16 });
    const enc = t.encoder as mx.nn.TransformerEncoder;
    const dcd = t.decoder as mx.nn.TransformerDecoder;
    expect(enc.layers.length).toBe(2);
    expect(dcd.layers.length).toBe(1);
    expect(Object.keys(t.parameters())).toEqual(['encoder', 'decoder']);
    expect(t.namedModules().map(([p]) => p)).toContain('encoder.layers.1.attention.query_proj');
    mx.tidy(() => {
      const src = mx.random.normal([2, 5, 8]);
      const tgt = mx.random.normal([2, 3, 8]);
      const tmask = nn.MultiHeadAttention.createAdditiveCausalMask(3);
      const memory = enc.ln.forward(enc.layers[1]!.forward(enc.layers[0]!.forward(src)));
      const expected = dcd.ln.forward(dcd.layers[0]!.forward(tgt, memory, tmask, null));
      const y = t.forward(src, tgt, null, tmask, null);
      expect(mx.arrayEqual(t.forward(src, tgt, { tgtMask: tmask }), y).item()).toBe(true);
      expect(y.shape).toEqual([2, 3, 8]);
      expect(mx.allclose(y, expected, 1e-5, 1e-5).item()).toBe(true);
      // Gradient checkpointing gives the same values and gradients.
      const ck = new nn.TransformerEncoder(1, 8, 2, { mlpDims: 16, checkpoint: true });
      const plain = new nn.TransformerEncoder(1, 8, 2, { mlpDims: 16 });
      plain.update(ck.parameters());
      const loss = (m: mx.nn.TransformerEncoder, x: mx.Array): mx.Array => mx.sum(mx.square(m.forward(x)));
      const [l1, g1] = nn.valueAndGrad(ck, loss)(ck, src);
      const [l2, g2] = nn.valueAndGrad(plain, loss)(plain, src);
      expect(mx.allclose(l1 as mx.Array, l2 as mx.Array, 1e-5, 1e-5).item()).toBe(true);
      const flat = (g: unknown): number[] => mx.utils.treeFlatten<mx.Array>(g).flatMap(([, a]) => Array.from(a.reshape(-1).toTypedArray() as Float32Array));
      expectClose(flat(g1), flat(g2), 1e-4);
      // Both modules hold the same arrays now: let go of them once.
      ck.dispose();
      plain.dispose();
    });
    t.dispose();
  });

  it('RoPE rotates feature halves (or pairs) by position * base^(-2j/dims)', () => {
    const r = new nn.RoPE(4);
    expect(String(r)).toBe('RoPE(4, traditional=False)');
    mx.tidy(() => {
      const x = mx.array([[[1, 2, 3, 4], [1, 2, 3, 4], [0.5, -1, 2, 0]]]);
      const xs = x.tolist() as number[][][];
      const expected = (traditional: boolean, offset: number, base = 10000): number[][] =>
        xs[0]!.map((row, t) => {
          const out = row.slice();
          for (let j = 0; j < 2; j++) {
            const theta = (t + offset) * base ** (-(2 * j) / 4);
            const [a, b] = traditional ? [2 * j, 2 * j + 1] : [j, j + 2];
            out[a] = row[a]! * Math.cos(theta) - row[b]! * Math.sin(theta);
            out[b] = row[a]! * Math.sin(theta) + row[b]! * Math.cos(theta);
          }
          return out;
        });
      expectClose((r.forward(x).tolist() as number[][][])[0], expected(false, 0), 1e-5);
      expectClose((r.forward(x, 2).tolist() as number[][][])[0], expected(false, 2), 1e-5);
      expectClose((r.forward(x, { offset: 2 }).tolist() as number[][][])[0], expected(false, 2), 1e-5);
      const rt = new nn.RoPE(4, { traditional: true, base: 100 });
      expectClose((rt.forward(x).tolist() as number[][][])[0], expected(true, 0, 100), 1e-5);
    });
  });

  it('SinusoidalPositionalEncoding and ALiBi follow MLX’s formulas', () => {
    mx.tidy(() => {
      const pe = new nn.SinusoidalPositionalEncoding(6);
      const pos = [0, 1, 5];
      const sig = [0, 1, 2].map((i) => Math.exp((1 - i / 2) * (Math.log(1) - Math.log(1e-4)) + Math.log(1e-4)));
      const s = Math.sqrt(2 / 6);
      const expected = pos.map((p) => [...sig.map((f) => Math.sin(p * f) * s), ...sig.map((f) => Math.cos(p * f) * s)]);
      expectClose(pe.forward(mx.array(pos)).tolist(), expected, 1e-5);
      const cf = new nn.SinusoidalPositionalEncoding(6, { cosFirst: true, scale: 1 });
      expectClose((cf.forward(mx.array([1])).tolist() as number[][])[0], [...sig.map((f) => Math.cos(f)), ...sig.map((f) => Math.sin(f))], 1e-5);
      // ALiBi: scores + (-|i - j|) * 2^(-8 (h + 1) / H).
      const scores = mx.zeros([1, 2, 3, 4]);
      const out = new nn.ALiBi().forward(scores).tolist() as number[][][][];
      for (let h = 0; h < 2; h++) {
        const slope = 2 ** (-8 * (h + 1) / 2);
        expectClose(out[0]![h], [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => -Math.abs(i - j) * slope)), 1e-6);
      }
      const shifted = new nn.ALiBi().forward(mx.zeros([1, 1, 2, 4]), { offset: 2 }).tolist() as number[][][][];
      expectClose(shifted[0]![0], [2, 3].map((i) => [0, 1, 2, 3].map((j) => -Math.abs(i - j) / 256)), 1e-6);
    });
  });
});

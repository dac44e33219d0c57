// The program fuzzers' own parts checked against known values: the reference's dtype
// rounding and erf, the promotion table, and that the judge does fail on a wrong result (a
// fuzzer that cannot fail checks nothing).
import { describe, expect, it } from 'vitest';
import { generate } from './fuzz/programs/generate.js';
import { judge, runProgram } from './fuzz/programs/run.js';
import { erf } from './fuzz/programs/reference-kernels.js';
import { promote, promoteScalar, round } from './fuzz/programs/tensor.js';
import { describeEachBackend } from './helpers/backends.js';

describe('program fuzz reference', () => {
  it('rounds to each dtype as IEEE round-to-nearest-even and wraps integers', () => {
    expect(round('float16', 1 / 3)).toBe(0.333251953125); // 0x3555
    expect(round('bfloat16', 1 / 3)).toBe(0.333984375); // 0x3eab
    expect(round('float16', 2049)).toBe(2048); // a tie goes to even
    expect(round('float16', 2051)).toBe(2052);
    expect(round('float16', 65520)).toBe(Infinity); // past max + half an ulp
    expect(round('float16', 2 ** -25 * 3)).toBe(2 ** -23); // subnormal step 2^-24
    expect(round('int32', 2 ** 31)).toBe(-(2 ** 31));
    expect(round('uint8', -1)).toBe(255);
  });
  it('computes erf to float64 accuracy', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 13);
  });
  it('promotes as MLX', () => {
    expect(promote('float16', 'bfloat16')).toBe('float32');
    expect(promote('uint8', 'int32')).toBe('int32');
    expect(promote('bool', 'uint8')).toBe('uint8');
    expect(promote('int32', 'float16')).toBe('float16');
    expect(promoteScalar('bool', 2)).toBe('int32');
    expect(promoteScalar('int32', 0.5)).toBe('float32');
    expect(promoteScalar('uint8', 3)).toBe('uint8');
  });
});

describeEachBackend('program fuzz judge', () => {
  it('passes a correct run and fails one with a changed value, shape or dtype', () => {
    let checked = 0;
    for (let i = 0; checked < 5 && i < 50; i++) {
      const p = generate(3, i, 'diff');
      const res = runProgram(p);
      expect(judge(p, res)).toBeNull();
      const k = p.nodes.findIndex((n) => n.op !== 'input' && n.r.length > 0 && n.dtype === 'float32');
      if (k < 0) continue;
      const out = res.outputs![k]!;
      const wrong = (change: (o: typeof out) => typeof out): unknown => {
        const outputs = res.outputs!.slice();
        outputs[k] = change({ ...out, data: out.data.slice() });
        return judge(p, { outputs });
      };
      expect(wrong((o) => ((o.data[0] = o.data[0]! * 1.01 + 0.01), o))).toMatchObject({ node: k });
      expect(wrong((o) => ({ ...o, dtype: 'float16' }))).toMatchObject({ node: k });
      expect(wrong((o) => ({ ...o, shape: [...o.shape, 1] }))).toMatchObject({ node: k });
      checked++;
    }
    expect(checked).toBe(5);
  });
});

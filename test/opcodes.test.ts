// The core's op registry as the TypeScript layer sees it, and the dtype codes of mlxc.h.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('core op registry', () => {
  it('has each op once, under its MLX name', () => {
    const names = mx.currentBackend().opNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['add', 'subtract', 'multiply', 'divide', 'negative', 'exp', 'log', 'tanh', 'sum', 'mean',
      'max', 'reshape', 'transpose', 'broadcast_to', 'astype', 'matmul', 'arange', 'full', 'stop_gradient']) {
      expect(names).toContain(name);
    }
  });

  it('answers unknown ops and malformed parameters with errors naming the op', () => {
    const backend = mx.currentBackend();
    mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      expect(() => backend.op1('no_such_op', [x.handle])).toThrow('[no_such_op] This op does not exist');
      expect(() => backend.op1('add', [x.handle])).toThrow('[add] Expected 2 array inputs, got 1.');
      expect(() => backend.op1('sum', [x.handle], [1, 0])).toThrow("[sum] Missing the integer value of parameter 'keepdims'.");
      expect(() => backend.op1('negative', [x.handle], [3])).toThrow('[negative] Takes no parameters');
    });
  });

  it('dtype codes match the core', () => {
    mx.tidy(() => {
      for (const d of mx.dtypes) {
        expect(mx.dtypes[d.code]).toBe(d);
        expect(mx.DtypeCode[d.name]).toBe(d.code);
        // The core reports back the code it was given.
        expect(mx.zeros([1], d).dtype).toBe(d);
      }
    });
  });
});

// The TypeScript mirrors of mlxc.h's codes agree with the core's own names.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('opcode tables', () => {
  it('match mlxc_*_op_name for every code, and nothing past the last', () => {
    const backend = mx.currentBackend();
    for (const family of ['unary', 'binary', 'reduce'] as const) {
      const table = mx.opTables[family];
      const codes = Object.values(table).sort((a, b) => a - b);
      expect(codes, `${family} codes are dense from 0`).toEqual(codes.map((_, i) => i));
      for (const [name, code] of Object.entries(table)) {
        expect(backend.opName(family, code), `${family} ${code}`).toBe(name);
      }
      expect(backend.opName(family, codes.length)).toBeNull();
      expect(backend.opName(family, -1)).toBeNull();
    }
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

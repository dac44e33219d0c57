// Printing arrays as MLX does, JSON, print options, and the refusal of silent numeric
// coercion. Expected strings come from (each case says which):
//   [mlx-test]  python/tests/test_array.py, test_array_repr, in MLX's repository (the
//               strings MLX's own tests assert for the same arrays);
//   [mlx-rules] mlx/utils.cpp print_array/print_subarray/PrintFormatter applied by hand:
//               `array(`, rows joined by ",\n" and indented 7 + dim spaces, any dimension
//               longer than 6 summarised to 3 + `...` + 3, bool `True`/`False`, integers in
//               decimal, floats as C's `os << v` (printf %g, 6 digits) or, with a print
//               precision p, `std::fixed` with p decimals;
//   [printf]    fixtures/print.json from fixtures/gen_print.py: C printf's %g / %.pf texts of
//               the same values (Python's %-formatting), which is how MLX prints a float.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import printFixture from './fixtures/print.json';
import { describeEachBackend } from './helpers/backends.js';

type Inspect = (value: unknown, options?: { depth?: number; colors?: boolean }) => string;
const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
// node:util exists in Node only; the specifier is a variable so the browser build leaves it.
const utilModule = 'node:util';
const inspect: Inspect | undefined = isNode
  ? ((await import(/* @vite-ignore */ utilModule)) as { inspect: Inspect }).inspect
  : undefined;
const nodeOnly = 'util.inspect is Node API (browsers have no util.inspect)';
const isBrowser = 'window' in globalThis;

const repr = (fn: () => mx.Array): string => mx.tidy(() => String(fn()));

describeEachBackend('array repr', () => {
  it('matches the strings of MLX test_array_repr', () => {
    // [mlx-test]
    expect(repr(() => mx.array(true))).toBe('array(True, dtype=bool)');
    expect(repr(() => mx.array(1, mx.int32))).toBe('array(1, dtype=int32)');
    expect(repr(() => mx.array(1.0))).toBe('array(1, dtype=float32)');
    expect(repr(() => mx.array([1, 0, 1], mx.int32))).toBe('array([1, 0, 1], dtype=int32)');
    expect(repr(() => mx.array([1, 1, 1, 1, 1, 1], mx.int32))).toBe('array([1, 1, 1, 1, 1, 1], dtype=int32)');
    expect(repr(() => mx.array([1, 1, 1, 1, 1, 1, 1], mx.int32))).toBe('array([1, 1, 1, ..., 1, 1, 1], dtype=int32)');
    expect(repr(() => mx.array([[1, 2], [1, 2], [1, 2]], mx.int32))).toBe(
      'array([[1, 2],\n' +
      '       [1, 2],\n' +
      '       [1, 2]], dtype=int32)',
    );
    expect(repr(() => mx.array([[[1, 2], [1, 2]], [[1, 2], [1, 2]]], mx.int32))).toBe(
      'array([[[1, 2],\n' +
      '        [1, 2]],\n' +
      '       [[1, 2],\n' +
      '        [1, 2]]], dtype=int32)',
    );
    expect(repr(() => mx.broadcastTo(mx.array([1, 2], mx.int32), [1000, 2]))).toBe(
      'array([[1, 2],\n' +
      '       [1, 2],\n' +
      '       [1, 2],\n' +
      '       ...,\n' +
      '       [1, 2],\n' +
      '       [1, 2],\n' +
      '       [1, 2]], dtype=int32)',
    );
  });

  it('prints the issue example in two aligned rows', () => {
    // [mlx-rules]
    expect(repr(() => mx.array([[1, 2], [3, 4]]))).toBe('array([[1, 2],\n       [3, 4]], dtype=float32)');
  });

  it('prints every dtype', () => {
    // [mlx-rules] integers exactly in decimal (int8/uint8 as numbers, 64-bit beyond 2^53),
    // floats of every width as printf %g of their value.
    expect(repr(() => mx.array([true, false]))).toBe('array([True, False], dtype=bool)');
    expect(repr(() => mx.array([0, 1, 255], mx.uint8))).toBe('array([0, 1, 255], dtype=uint8)');
    expect(repr(() => mx.array([0, 7, 65535], mx.uint16))).toBe('array([0, 7, 65535], dtype=uint16)');
    expect(repr(() => mx.array([0, 9, 4294967295], mx.uint32))).toBe('array([0, 9, 4294967295], dtype=uint32)');
    expect(repr(() => mx.array(new BigUint64Array([0n, 18446744073709551615n])))).toBe(
      'array([0, 18446744073709551615], dtype=uint64)',
    );
    expect(repr(() => mx.array([-128, 0, 127], mx.int8))).toBe('array([-128, 0, 127], dtype=int8)');
    expect(repr(() => mx.array([-32768, 3, 32767], mx.int16))).toBe('array([-32768, 3, 32767], dtype=int16)');
    expect(repr(() => mx.array([-2147483648, 5, 2147483647], mx.int32))).toBe(
      'array([-2147483648, 5, 2147483647], dtype=int32)',
    );
    expect(repr(() => mx.array(new BigInt64Array([-9223372036854775808n, 9007199254740993n])))).toBe(
      'array([-9223372036854775808, 9007199254740993], dtype=int64)',
    );
    // float16 0.1 is 0.0999755859375, bfloat16 0.1 is 0.10009765625, float32 0.1 is
    // 0.100000001490116...: %g keeps 6 significant digits of each.
    expect(repr(() => mx.array([-1.5, 0.1, 65504], mx.float16))).toBe('array([-1.5, 0.0999756, 65504], dtype=float16)');
    expect(repr(() => mx.array([-1.5, 0.1, 2 ** 100], mx.bfloat16))).toBe(
      'array([-1.5, 0.100098, 1.26765e+30], dtype=bfloat16)',
    );
    expect(repr(() => mx.array([1, 2.5, -3]))).toBe('array([1, 2.5, -3], dtype=float32)');
    expect(repr(() => mx.array([0.1, 1 / 3, 1e10, 1e-5], mx.float32))).toBe(
      'array([0.1, 0.333333, 1e+10, 1e-05], dtype=float32)',
    );
    expect(repr(() => mx.array([1 / 3, 123456789, 1e300], mx.float64))).toBe(
      'array([0.333333, 1.23457e+08, 1e+300], dtype=float64)',
    );
  });

  it('prints negative and non-finite floats', () => {
    // [mlx-rules] printf writes inf, -inf, nan and keeps the sign of -0.
    expect(repr(() => mx.array([-0.5, -0, Infinity, -Infinity, NaN]))).toBe(
      'array([-0.5, -0, inf, -inf, nan], dtype=float32)',
    );
    expect(repr(() => mx.divide(mx.array([1, -1, 0]), mx.array(0)))).toBe('array([inf, -inf, nan], dtype=float32)');
    expect(repr(() => mx.array(-Infinity, mx.float16))).toBe('array(-inf, dtype=float16)');
  });

  it('prints 0-d and empty arrays', () => {
    // [mlx-rules] a 0-d array prints its value alone; an empty dimension prints [].
    expect(repr(() => mx.array(-2.5, mx.bfloat16))).toBe('array(-2.5, dtype=bfloat16)');
    expect(repr(() => mx.array(false))).toBe('array(False, dtype=bool)');
    expect(repr(() => mx.array([]))).toBe('array([], dtype=float32)');
    expect(repr(() => mx.zeros([2, 0], mx.int32))).toBe('array([[],\n       []], dtype=int32)');
    expect(repr(() => mx.zeros([0, 3]))).toBe('array([], dtype=float32)');
  });

  it('prints 3-d arrays with rows indented under their bracket', () => {
    // [mlx-rules] dim 0 rows indent 7 spaces, dim 1 rows 8; no blank line between blocks.
    expect(repr(() => mx.reshape(mx.arange(0, 12, 1, mx.int32), [2, 2, 3]))).toBe(
      'array([[[0, 1, 2],\n' +
      '        [3, 4, 5]],\n' +
      '       [[6, 7, 8],\n' +
      '        [9, 10, 11]]], dtype=int32)',
    );
  });

  it('summarises every long dimension to 3 edge items, whatever the size', () => {
    // [mlx-rules] the check is per dimension (n > 6), not on the total size.
    expect(repr(() => mx.arange(0, 10, 1, mx.int32))).toBe('array([0, 1, 2, ..., 7, 8, 9], dtype=int32)');
    expect(repr(() => mx.reshape(mx.arange(0, 1000000, 1, mx.int32), [1000, 1000]))).toBe(
      'array([[0, 1, 2, ..., 997, 998, 999],\n' +
      '       [1000, 1001, 1002, ..., 1997, 1998, 1999],\n' +
      '       [2000, 2001, 2002, ..., 2997, 2998, 2999],\n' +
      '       ...,\n' +
      '       [997000, 997001, 997002, ..., 997997, 997998, 997999],\n' +
      '       [998000, 998001, 998002, ..., 998997, 998998, 998999],\n' +
      '       [999000, 999001, 999002, ..., 999997, 999998, 999999]], dtype=int32)',
    );
    expect(repr(() => mx.reshape(mx.arange(0, 16, 1, mx.int32), [8, 2, 1]))).toBe(
      'array([[[0],\n' +
      '        [1]],\n' +
      '       [[2],\n' +
      '        [3]],\n' +
      '       [[4],\n' +
      '        [5]],\n' +
      '       ...,\n' +
      '       [[10],\n' +
      '        [11]],\n' +
      '       [[12],\n' +
      '        [13]],\n' +
      '       [[14],\n' +
      '        [15]]], dtype=int32)',
    );
  });

  it('prints transposed and broadcast views in logical order', () => {
    // [mlx-rules] MLX walks the strides; the values are those of the logical layout.
    expect(repr(() => mx.transpose(mx.array([[1, 2, 3], [4, 5, 6]], mx.int32)))).toBe(
      'array([[1, 4],\n       [2, 5],\n       [3, 6]], dtype=int32)',
    );
  });

  it('evaluates lazy arrays to print them', () => {
    expect(repr(() => mx.add(mx.array([1, 2], mx.int32), mx.array([10, 20], mx.int32)))).toBe(
      'array([11, 22], dtype=int32)',
    );
  });

  it('gives the repr to String, template strings and toString', () => {
    mx.tidy(() => {
      const a = mx.array([[1, 2], [3, 4]], mx.int32);
      const expected = 'array([[1, 2],\n       [3, 4]], dtype=int32)';
      expect(String(a)).toBe(expected);
      expect(`${a}`).toBe(expected);
      expect(a.toString()).toBe(expected);
      expect(`w = ${a}`).toBe(`w = ${expected}`);
    });
  });

  it('prints a disposed array as disposed instead of throwing', () => {
    const a = mx.array([1, 2]);
    a.dispose();
    expect(String(a)).toBe('array(<disposed>)');
    expect(`${a}`).toBe('array(<disposed>)');
  });

  it.skipIf(!inspect)('shows the repr in util.inspect / console.log, also nested in objects', () => {
    // skipIf: ${nodeOnly}
    mx.tidy(() => {
      const a = mx.array([[1, 2], [3, 4]], mx.int32);
      expect(inspect!(a)).toBe('array([[1, 2],\n       [3, 4]], dtype=int32)');
      // Node indents a nested value's continuation lines by the nesting level.
      expect(inspect!({ w: a })).toBe('{\n  w: array([[1, 2],\n         [3, 4]], dtype=int32)\n}');
      expect(inspect!([mx.array(1.5)])).toBe('[ array(1.5, dtype=float32) ]');
      // Past the inspect depth, a short tag instead of the values, as Node does for objects.
      expect(inspect!({ x: { y: a } }, { depth: 1 })).toBe('{ x: { y: [array shape=(2, 2) dtype=int32] } }');
      expect(inspect!({ x: { y: { z: a } } })).toBe('{ x: { y: { z: [array shape=(2, 2) dtype=int32] } } }');
      expect(inspect!(a)).not.toMatch(/mlxc_|handle|backend/);
    });
    const freed = mx.array([1]);
    freed.dispose();
    expect(inspect!(freed)).toBe('array(<disposed>)');
    expect(inspect!({ a: { b: { c: freed } } })).toBe('{ a: { b: { c: [array <disposed>] } } }');
  });

  it.skipIf(!isBrowser)('gives DevTools custom formatters the repr', () => {
    // skipIf: DevTools formatters are registered in browsers (a window) only.
    type Formatter = { header(x: unknown): unknown; hasBody(): boolean };
    const formatters = (globalThis as { devtoolsFormatters?: Formatter[] }).devtoolsFormatters ?? [];
    mx.tidy(() => {
      const a = mx.array([1, 2], mx.int32);
      const header = formatters.map((f) => f.header(a)).find((h) => h !== null);
      expect(header).toEqual(['div', { style: 'white-space: pre; font-family: monospace' }, 'array([1, 2], dtype=int32)']);
      expect(formatters.every((f) => f.header({}) === null)).toBe(true);
    });
  });
});

describeEachBackend('array JSON', () => {
  it('JSON.stringify gives the nested list (toJSON is tolist)', () => {
    mx.tidy(() => {
      expect(JSON.stringify(mx.array([[1, 2], [3, 4]], mx.int32))).toBe('[[1,2],[3,4]]');
      expect(JSON.stringify({ w: mx.array([true, false]) })).toBe('{"w":[true,false]}');
      expect(JSON.stringify(mx.array(2.5))).toBe('2.5');
      // float16/bfloat16 as the numbers they hold.
      expect(JSON.stringify(mx.array([1.5, 0.1], mx.bfloat16))).toBe('[1.5,0.10009765625]');
      expect(JSON.stringify(mx.array([1.5, 0.1], mx.float16))).toBe('[1.5,0.0999755859375]');
      expect(mx.array([[1, 2]], mx.int32).toJSON()).toEqual([[1, 2]]);
    });
  });
});

describeEachBackend('no silent coercion', () => {
  const message = /^\[array\] Arrays do not convert to numbers; use mx\.add\(a, 1\)/;
  it('throws where JS wants a number or a default primitive', () => {
    mx.tidy(() => {
      const a: any = mx.array([1, 2]);
      const b: any = mx.array([3, 4]);
      expect(() => a + 1).toThrow(message);
      expect(() => 1 + a).toThrow(message);
      expect(() => a * 2).toThrow(message);
      expect(() => a - b).toThrow(message);
      expect(() => a > b).toThrow(message);
      expect(() => a < 1).toThrow(message);
      expect(() => Math.exp(a)).toThrow(message);
      expect(() => +a).toThrow(message);
      expect(() => Number(a)).toThrow(message);
      expect(() => a == 1).toThrow(message);
      expect(() => 'x = ' + a).toThrow(message);
      expect(() => a + 1).toThrow(Error);
    });
  });

  it('item() is the value of a scalar array and the ops do the arithmetic', () => {
    mx.tidy(() => {
      const a = mx.array(3, mx.int32);
      expect(a.item()).toBe(3);
      expect(mx.add(a, 1).item()).toBe(4);
      expect(mx.multiply(mx.array([1, 2]), 2).tolist()).toEqual([2, 4]);
    });
  });
});

describeEachBackend('print options', () => {
  it('defaults to precision -1 and prints fixed decimals when set', () => {
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
    const x = (): mx.Array => mx.array([1 / 3, 1, -2.5, 0.125]);
    try {
      mx.setPrintoptions({ precision: 3 });
      expect(mx.getPrintoptions()).toEqual({ precision: 3 });
      // [mlx-rules] std::fixed, 3 decimals; 0.125 is a tie kept even (printf).
      expect(repr(x)).toBe('array([0.333, 1.000, -2.500, 0.125], dtype=float32)');
      mx.setPrintoptions({ precision: 2 });
      expect(repr(x)).toBe('array([0.33, 1.00, -2.50, 0.12], dtype=float32)');
      // Integers and bools are unaffected.
      expect(repr(() => mx.array([1, 2], mx.int32))).toBe('array([1, 2], dtype=int32)');
    } finally {
      mx.setPrintoptions();
    }
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
    expect(repr(x)).toBe('array([0.333333, 1, -2.5, 0.125], dtype=float32)');
  });

  it('printoptions(options, fn) scopes them and restores them after a throw', () => {
    const x = (): mx.Array => mx.array([2 / 3]);
    expect(mx.printoptions({ precision: 1 }, () => repr(x))).toBe('array([0.7], dtype=float32)');
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
    expect(() => mx.printoptions({ precision: 0 }, () => { throw new Error('inner'); })).toThrow('inner');
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
    mx.printoptions({ precision: 4 }, () => {
      expect(mx.printoptions({ precision: 0 }, () => repr(x))).toBe('array([1], dtype=float32)');
      expect(mx.getPrintoptions()).toEqual({ precision: 4 });
    });
  });

  it('rejects a precision that is not an integer from -1', () => {
    expect(() => mx.setPrintoptions({ precision: -2 })).toThrow(/^\[set_printoptions\]/);
    expect(() => mx.setPrintoptions({ precision: 1.5 })).toThrow(/^\[set_printoptions\]/);
    expect(() => mx.printoptions({ precision: Number.NaN }, () => 0)).toThrow(/^\[set_printoptions\]/);
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
  });
});

describe('float and complex formatting', () => {
  interface Case { value: number; g: string; fixed: Record<string, string> }
  const cases = (printFixture as { cases: Case[] }).cases;

  it('writes each float as printf %g and %.pf do', () => {
    // [printf]
    expect(cases.length).toBeGreaterThan(200);
    // -0 keeps its sign in both forms (not in the fixture: its JSON import reads -0 as 0).
    expect(mx.formatFloat(-0, -1)).toBe('-0');
    expect(mx.formatFloat(-0, 2)).toBe('-0.00');
    for (const c of cases) {
      expect(mx.formatFloat(c.value, -1), `%g of ${c.value}`).toBe(c.g);
      for (const [p, text] of Object.entries(c.fixed)) {
        expect(mx.formatFloat(c.value, Number(p)), `%.${p}f of ${c.value}`).toBe(text);
      }
    }
  });

  it('writes complex values as MLX does', () => {
    // [mlx-test] array([1+3j, -4+5j]) and array([1-3j]) for complex64.
    expect(mx.formatComplex(1, 3, -1)).toBe('1+3j');
    expect(mx.formatComplex(-4, 5, -1)).toBe('-4+5j');
    expect(mx.formatComplex(1, -3, -1)).toBe('1-3j');
    // [mlx-rules] NaN imaginary parts take the + branch; precision applies to both parts.
    expect(mx.formatComplex(0.5, Number.NaN, -1)).toBe('0.5+nanj');
    expect(mx.formatComplex(0.5, -0.25, 2)).toBe('0.50-0.25j');
  });
});

describe('repr helpers for other classes', () => {
  class Layer {
    constructor(readonly inner: mx.Array | null) {}
    toString(): string {
      return `Layer(\n  (w): ${mx.indentRepr(String(this.inner), '  ')}\n)`;
    }
  }
  mx.defineRepr(Layer.prototype);

  it.skipIf(!inspect)('defineRepr makes util.inspect show toString()', () => {
    // skipIf: ${nodeOnly}
    mx.tidy(() => {
      const layer = new Layer(mx.array([[1, 2], [3, 4]], mx.int32));
      const text = 'Layer(\n  (w): array([[1, 2],\n         [3, 4]], dtype=int32)\n)';
      expect(String(layer)).toBe(text);
      expect(inspect!(layer)).toBe(text);
      expect(inspect!({ a: { b: { c: layer } } })).toBe('{ a: { b: { c: [Layer] } } }');
    });
  });

  it('formatArray is the repr of an array', () => {
    mx.tidy(() => {
      const a = mx.array([1, 2], mx.uint8);
      expect(mx.formatArray(a)).toBe('array([1, 2], dtype=uint8)');
    });
  });
});

// docs/printing.md: each ```js block, run with `print`, writes the ```text block after it.
type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
const printingDoc = Object.values(
  (import.meta as ImportMeta & { glob: Glob }).glob('../docs/printing.md', { query: '?raw', import: 'default', eager: true }),
)[0]!;

describeEachBackend('docs/printing.md examples', () => {
  const pairs = [...printingDoc.matchAll(/```js\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g)];
  it('exist', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(4);
  });
  pairs.forEach(([, code, output], i) => {
    it(`example ${i + 1} prints what the page shows`, () => {
      const lines: string[] = [];
      const print = (v: unknown): void => { lines.push(String(v)); };
      mx.tidy(() => {
        new Function('mx', 'print', code!)(mx, print);
      });
      expect(lines.join('\n')).toBe(output!.replace(/\n$/, ''));
    });
  });
});

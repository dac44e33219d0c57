// MLX's exact behaviour where mlxjs differed (issue #18, "Known differences from MLX"):
// jvp of comparisons and divmod, grad's argnums and aux rules, slice updates whose value has
// leading 1-dims, scatter_prod's derivatives, exclusive cummax/cummin derivatives,
// masked_scatter through x.at(mask), vmap outAxes per output, compile's captured-input
// error, state and shapeless rules, and element-wise no-ops on broadcast views that must not
// allocate. Expected values are worked out by hand from each op's definition (or checked by
// finite differences), never copied from our own output.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';

describeEachBackend('MLX behaviour: grad argnums and aux', () => {
  const f = (a: mx.Array, b: mx.Array): mx.Array => mx.sum(mx.multiply(a, b));

  it('argnums are checked when the transform is created', () => {
    expect(() => mx.grad(f, -1)).toThrow("[grad] Can't compute the gradient of negative argument index -1");
    expect(() => mx.grad(f, [1, -2])).toThrow("[grad] Can't compute the gradient of negative argument index -2");
    expect(() => mx.grad(f, [0, 0])).toThrow('[grad] Duplicate argument index 0');
    expect(() => mx.valueAndGrad(f, [])).toThrow('[value_and_grad] Gradient wrt no argument requested');
    // Out of range depends on the call, so it is checked there.
    const g = mx.grad(f, 2);
    mx.tidy(() => {
      expect(() => g(mx.ones([2]), mx.ones([2]))).toThrow(
        "[grad] Can't compute the gradient of argument index 2 because the function is called with only 2 positional arguments.",
      );
    });
  });

  it('grad of a function returning [loss, aux] throws; valueAndGrad returns the aux tree', () => {
    // A JS function returning [loss, aux] as MLX's Python returns (loss, aux).
    const fn = ((x: mx.Array, y: mx.Array) => {
      const l = mx.sum(mx.multiply(x, y));
      return [l, { loss: l, foo: mx.add(mx.square(y), mx.square(x)), bar: [1, 2, 3, y, x] }];
    }) as unknown as (x: mx.Array, y: mx.Array) => mx.Array;
    mx.tidy(() => {
      const x = mx.ones([2, 2]);
      const y = mx.ones([2, 2]);
      expect(() => mx.grad(fn)(x, y)).toThrow(
        '[grad] The return value of the function whose gradient we want to compute should be a scalar array; but a list was returned.',
      );
      const [[loss, aux], g] = mx.valueAndGrad(fn)(x, y) as unknown as [
        [mx.Array, { loss: mx.Array; foo: mx.Array; bar: unknown[] }],
        mx.Array,
      ];
      expect(loss.item()).toBe(4);
      expect(aux.loss.item()).toBe(4);
      expect(aux.foo.tolist()).toEqual([[2, 2], [2, 2]]);
      expect(aux.bar.slice(0, 3)).toEqual([1, 2, 3]);
      expect((aux.bar[3] as mx.Array).tolist()).toEqual([[1, 1], [1, 1]]);
      expect(g.tolist()).toEqual([[1, 1], [1, 1]]);
    });
  });
});


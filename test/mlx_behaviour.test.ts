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

describeEachBackend('MLX behaviour: jvp of comparisons and divmod', () => {
  it('a comparison has a bool zero tangent of the broadcast shape', () => {
    mx.tidy(() => {
      const [, [t]] = mx.jvp((a: mx.Array, b: mx.Array) => mx.greater(a, b), [mx.ones([3]), mx.zeros([2, 3])], [mx.ones([3]), mx.ones([2, 3])]);
      expect([t!.shape, String(t!.dtype), t!.tolist()]).toEqual([[2, 3], 'bool', [[false, false, false], [false, false, false]]]);
      // Used inside a float computation, the bool zero tangent promotes like a bool value.
      const [, [t2]] = mx.jvp((a: mx.Array) => mx.multiply(mx.greater(a, 0), a), [mx.array([2, -1])], [mx.array([1, 1])]);
      expect([String(t2!.dtype), t2!.tolist()]).toEqual(['float32', [1, 0]]);
    });
  });

  it('divmod has zero derivatives for both outputs in both directions (MLX)', () => {
    mx.tidy(() => {
      const a = mx.array([5, 7]);
      const b = mx.array([2, 3]);
      const [outs, tans] = mx.jvp((x: mx.Array, y: mx.Array) => mx.divmod(x, y), [a, b], [mx.ones([2]), mx.ones([2])]);
      expect(outs.map((o) => o.tolist())).toEqual([[2, 2], [1, 1]]);
      expect(tans.map((t) => [t.shape, t.tolist()])).toEqual([[[2], [0, 0]], [[2], [0, 0]]]);
      const [, cots] = mx.vjp((x: mx.Array, y: mx.Array) => mx.divmod(x, y), [a, b], [mx.ones([2]), mx.ones([2])]);
      expect(cots.map((c) => c.tolist())).toEqual([[0, 0], [0, 0]]);
    });
  });
});

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

describeEachBackend('MLX behaviour: slice updates drop the value\'s leading 1-dims', () => {
  it('basic and advanced indices', () => {
    expect(values(() => mx.zeros([4]).at(mx.Slice(1, 3)).add(mx.array([[1, 2]])))).toEqual([0, 1, 2, 0]);
    expect(values(() => mx.zeros([3, 2]).at(1).add(mx.array([[1, 2]])))).toEqual([[0, 0], [1, 2], [0, 0]]);
    expect(values(() => mx.zeros([3, 2]).at(1).set(mx.array([[[5, 6]]])))).toEqual([[0, 0], [5, 6], [0, 0]]);
    expect(values(() => mx.zeros([4]).at(mx.array([0, 2], mx.int32)).add(mx.array([[5, 6]])))).toEqual([5, 0, 6, 0]);
    // A leading dim that is not 1 still has to broadcast.
    expect(() => mx.tidy(() => mx.zeros([4]).at(mx.Slice(1, 3)).add(mx.ones([2, 2])))).toThrow('[broadcast_to]');
  });
});

describeEachBackend('MLX behaviour: scatter_prod and exclusive cummax/cummin derivatives', () => {
  it('scatter_prod vjp and jvp match finite differences (distinct, repeated and zero updates)', () => {
    mx.tidy(() => {
      const idx = mx.array([0, 2], mx.int32);
      const rep = mx.array([1, 1, 3], mx.int32);
      checkGrads((a, u) => mx.scatterProd(a, idx, mx.reshape(u, [2, 1]), 0), [[4], [2]]);
      checkGrads((a, u) => mx.scatterProd(a, rep, mx.reshape(u, [3, 1]), 0), [[4], [3]]);
      checkGrads((a, u) => a.at(rep).multiply(u), [[4], [3]]);
      // Exact at zero updates: d/du1 of a1 * u1 * u2 at u2 = 0 is 0, d/du2 is a1 * u1.
      const [, [ga, gu]] = mx.vjp(
        (a: mx.Array, u: mx.Array) => mx.scatterProd(a, rep, mx.reshape(u, [3, 1]), 0),
        [mx.array([1, 3, 1, 2]), mx.array([2, 0, 5])],
        [mx.ones([4])],
      );
      expect(ga!.tolist()).toEqual([1, 0, 1, 5]);
      expect(gu!.tolist()).toEqual([0, 6, 2]);
    });
  });

  it('exclusive cummax/cummin: the first output is a constant, the others follow the running extreme', () => {
    const x = [1, 3, 2, 5];
    const grad = (fn: (a: mx.Array) => mx.Array): unknown => values(() => mx.grad((a: mx.Array) => mx.sum(fn(a)))(mx.array(x)) as mx.Array);
    // cummax exclusive: [-inf, 1, 3, 3], so x0 feeds one output and x1 two.
    expect(grad((a) => mx.cummax(a, { axis: 0, inclusive: false }))).toEqual([1, 2, 0, 0]);
    // reverse exclusive: [5, 5, 5, -inf]: x3 feeds three outputs.
    expect(grad((a) => mx.cummax(a, { axis: 0, inclusive: false, reverse: true }))).toEqual([0, 0, 0, 3]);
    // cummin exclusive: [inf, 1, 1, 1].
    expect(grad((a) => mx.cummin(a, { axis: 0, inclusive: false }))).toEqual([3, 0, 0, 0]);
    expect(values(() => mx.jvp((a: mx.Array) => mx.cummax(a, { axis: 0, inclusive: false }), [mx.array(x)], [mx.array([1, 10, 100, 1000])])[1][0]!)).toEqual([0, 1, 10, 10]);
  });
});

describeEachBackend('MLX behaviour: masked_scatter and vmap outAxes', () => {
  it('x.at(mask).set(v) writes v\'s elements in order to the true positions', () => {
    const mask = (): mx.Array => mx.array([[true, false, true], [false, true, false]]);
    expect(describeArray(() => mx.zeros([2, 3]).at(mask()).set(mx.array([1, 2, 3])))).toEqual([
      [2, 3], 'float32', [[1, 0, 2], [0, 3, 0]],
    ]);
    // v is flattened; extra elements are unused; a scalar fills every true position.
    expect(values(() => mx.zeros([2, 3], mx.int32).at(mask()).set(mx.array([[7, 8], [9, 10]])))).toEqual([[7, 0, 8], [0, 9, 0]]);
    expect(values(() => mx.zeros([2, 3]).at(mask()).set(4))).toEqual([[4, 0, 4], [0, 4, 0]]);
    // A mask over the leading axes selects whole rows.
    expect(values(() => mx.zeros([3, 2]).at(mx.array([false, true, true])).set(mx.array([1, 2, 3, 4])))).toEqual([[0, 0], [1, 2], [3, 4]]);
    expect(values(() => mx.ones([2, 3]).at(mask()).add(mx.array([1, 2, 3])))).toEqual([[2, 1, 3], [1, 4, 1]]);
    expect(() => mx.tidy(() => mx.zeros([2]).at(mx.array([[true]])).set(1))).toThrow('[masked_scatter]');
  });

  it('masked_scatter differentiates in x and v and maps under vmap', () => {
    mx.tidy(() => {
      const m = mx.array([true, false, true, false]);
      const [gx, gv] = mx.grad((x: mx.Array, v: mx.Array) => mx.sum(mx.multiply(x.at(m).set(v), mx.array([1, 2, 3, 4]))), [0, 1])(
        mx.zeros([4]),
        mx.zeros([2]),
      ) as mx.Array[];
      expect(gx!.tolist()).toEqual([0, 2, 0, 4]);
      expect(gv!.tolist()).toEqual([1, 3]);
      const batched = mx.vmap((x: mx.Array, v: mx.Array) => x.at(m).set(v))(mx.zeros([2, 4]), mx.array([[1, 2], [3, 4]])) as mx.Array;
      expect(batched.tolist()).toEqual([[1, 0, 2, 0], [3, 0, 4, 0]]);
    });
  });

  it('vmap places each output\'s batch axis by its own outAxes entry', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(6), [2, 3]);
      const [a, b] = mx.vmap((r: mx.Array) => [r, mx.sum(r)], 0, [1, 0])(x) as mx.Array[];
      expect(a!.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(b!.tolist()).toEqual([3, 12]);
    });
  });
});

describeEachBackend('MLX behaviour: compile', () => {
  it('a function reaching an array it was given through another reference is an error; other closures are constants', () => {
    const err = '[compile] Attempting to compile a function with uncaptured inputs is not allowed.';
    mx.tidy(() => {
      const x = mx.add(mx.array([1, 2, 3]), 2);
      const closes = mx.compile((a: mx.Array) => mx.add(a, mx.add(x, 1)));
      expect(() => closes(x)).toThrow(err);
      closes.dispose();
      // The closed-over array reaches the trace through a graph that contains the input.
      const x2 = mx.add(mx.array([1, 2]), mx.array([1, 2]));
      let y: mx.Array | null = null;
      const fn = (a: mx.Array): mx.Array => {
        if (y === null) y = mx.array([1, 2]);
        y = mx.add(y, a);
        return y;
      };
      fn(x2);
      const compiled = mx.compile(fn);
      expect(() => compiled(x2)).toThrow(err);
      compiled.dispose();
      // A closure over an array that is not an input is a constant of the trace.
      const c = mx.array([10, 20, 30]);
      const withConstant = mx.compile((a: mx.Array) => mx.add(a, c));
      expect((withConstant(x) as mx.Array).tolist()).toEqual([13, 24, 35]);
      withConstant.dispose();
    });
  });

  it('state trees: random state advances, a function of no arrays compiles', () => {
    mx.tidy(() => {
      const state = [mx.random.state];
      const draw = mx.compile(() => mx.random.uniform({ shape: [3] }), { inputs: state, outputs: state });
      mx.random.seed(3);
      const a = (draw() as mx.Array).tolist();
      const b = (draw() as mx.Array).tolist();
      expect(a).not.toEqual(b);
      // The compiled draws follow the global key sequence exactly as eager draws do.
      mx.random.seed(3);
      expect(mx.random.uniform({ shape: [3] }).tolist()).toEqual(a);
      expect(mx.random.uniform({ shape: [3] }).tolist()).toEqual(b);
      const noArrays = mx.compile((n: number) => mx.full([2], n));
      expect((noArrays(7) as mx.Array).tolist()).toEqual([7, 7]);
      draw.dispose();
      noArrays.dispose();
    });
  });

  it('shapeless compile goes through broadcast, reshape, transpose and gather', () => {
    mx.tidy(() => {
      const bc = mx.compile((x: mx.Array) => mx.broadcastTo(x, [2, ...x.shape]), { shapeless: true });
      expect((bc(mx.array([1, 2])) as mx.Array).tolist()).toEqual([[1, 2], [1, 2]]);
      expect((bc(mx.array([1, 2, 3])) as mx.Array).tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
      const flat = mx.compile((x: mx.Array) => mx.reshape(x, [-1]), { shapeless: true });
      expect((flat(mx.ones([2, 2])) as mx.Array).shape).toEqual([4]);
      expect((flat(mx.reshape(mx.arange(6), [3, 2])) as mx.Array).tolist()).toEqual([0, 1, 2, 3, 4, 5]);
      const unflatten = mx.compile((x: mx.Array) => mx.reshape(x, [2, -1]), { shapeless: true });
      expect((unflatten(mx.arange(4)) as mx.Array).shape).toEqual([2, 2]);
      expect((unflatten(mx.arange(6)) as mx.Array).tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
      expect(() => unflatten(mx.arange(5))).toThrow('[reshape]');
      const t = mx.compile((x: mx.Array) => mx.multiply(mx.transpose(x), 2), { shapeless: true });
      expect((t(mx.ones([2, 1])) as mx.Array).shape).toEqual([1, 2]);
      expect((t(mx.reshape(mx.arange(6), [2, 3])) as mx.Array).tolist()).toEqual([[0, 6], [2, 8], [4, 10]]);
      const take = mx.compile((x: mx.Array, i: mx.Array) => mx.take(x, i, 0), { shapeless: true });
      expect((take(mx.arange(4), mx.array([1], mx.int32)) as mx.Array).tolist()).toEqual([1]);
      expect((take(mx.arange(10, 15), mx.array([2, 4, 0], mx.int32)) as mx.Array).tolist()).toEqual([12, 14, 10]);
      const rows = mx.compile((x: mx.Array, i: mx.Array) => mx.take(x, i, 0), { shapeless: true });
      expect((rows(mx.reshape(mx.arange(4), [2, 2]), mx.array([1], mx.int32)) as mx.Array).tolist()).toEqual([[2, 3]]);
      expect((rows(mx.reshape(mx.arange(10, 16), [3, 2]), mx.array([2, 0], mx.int32)) as mx.Array).tolist()).toEqual([[14, 15], [10, 11]]);
      for (const f of [bc, flat, unflatten, t, take, rows]) f.dispose();
    });
  });
});

describeEachBackend('MLX behaviour: element-wise no-ops on broadcast views do not allocate', () => {
  it('abs of an unsigned broadcast and astype to the same dtype keep the input\'s buffer', () => {
    const x = mx.array([1, 2], mx.uint8);
    const f = mx.array([1.5, 2.5]);
    mx.eval(x, f);
    for (const make of [
      () => mx.abs(mx.broadcastTo(x, [1000, 1000, 2])),
      () => mx.astype(mx.broadcastTo(f, [1000, 1000, 2]), mx.float32),
    ]) {
      mx.resetPeakMemory();
      const before = mx.memory().activeBytes;
      const y = mx.tidy(make);
      mx.eval(y);
      // The broadcast holds 2 million elements; nothing near that may be allocated.
      expect(mx.memory().peakBytes - before).toBeLessThan(1 << 16);
      expectClose(mx.tidy(() => mx.sum(mx.astype(y, mx.float32)).item()), y.dtype === mx.uint8 ? 3e6 : 4e6, 1);
      y.dispose();
    }
    x.dispose();
    f.dispose();
  });
});

// grad, valueAndGrad, vjp and jvp: values derived by hand, and every differentiable op of
// the first slice checked against finite differences.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';

describeEachBackend('autodiff', () => {
  it('grad of a polynomial matches its derivative', () => {
    mx.tidy(() => {
      // d/dx sum(x^3 - 2x) = 3x^2 - 2
      const f = (x: mx.Array) => mx.sum(mx.subtract(mx.multiply(mx.multiply(x, x), x), mx.multiply(x, 2)));
      const g = mx.grad(f)(mx.array([1, 2, -3])) as mx.Array;
      expectClose(g.tolist(), [1, 10, 25]);
    });
  });

  it('valueAndGrad returns the value, and aux outputs untouched', () => {
    mx.tidy(() => {
      const f = (w: mx.Array, x: mx.Array) => {
        const y = mx.matmul(x, w);
        return [mx.mean(mx.multiply(y, y)), y];
      };
      const w = mx.array([[1], [2]]);
      const x = mx.array([[1, 0], [0, 1], [1, 1]]);
      const [value, g] = mx.valueAndGrad(f)(w, x) as [[mx.Array, mx.Array], mx.Array];
      // y = [1, 2, 3]; loss = 14/3; dloss/dw = 2/3 * x^T y = 2/3 * [4, 5]
      expectClose(value[0].item(), 14 / 3);
      expectClose(value[1].tolist(), [[1], [2], [3]]);
      expectClose(g.tolist(), [[8 / 3], [10 / 3]]);
    });
  });

  it('differentiates trees and lists of argnums', () => {
    mx.tidy(() => {
      const f = (params: { w: mx.Array; b: [mx.Array] }, x: mx.Array, label: string) => {
        expect(label).toBe('not differentiated');
        return mx.sum(mx.add(mx.multiply(params.w, x), params.b[0]));
      };
      const params = { w: mx.array([1, 2]), b: [mx.array(3)] as [mx.Array] };
      const x = mx.array([5, 7]);
      const [gp, gx] = mx.grad(f, [0, 1])(params, x, 'not differentiated') as [
        { w: mx.Array; b: [mx.Array] },
        mx.Array,
      ];
      expectClose(gp.w.tolist(), [5, 7]);
      expectClose(gp.b[0].item(), 2);
      expectClose(gx.tolist(), [1, 2]);
    });
  });

  it('nests: the second derivative of x^3 is 6x', () => {
    mx.tidy(() => {
      const f = (x: mx.Array) => mx.multiply(mx.multiply(x, x), x);
      const d2 = mx.grad((x: mx.Array) => mx.grad(f)(x) as mx.Array)(mx.array(2));
      expectClose((d2 as mx.Array).item(), 12);
    });
  });

  it('jvp of grad: a Hessian-vector product (forward over reverse)', () => {
    mx.tidy(() => {
      // f(x) = sum(x^3) + x0*x1: H = diag(6x) + [[0,1],[1,0]]; at x = (1, 2), v = (1, -1):
      // H v = (6*1*1 - 1, 1 - 6*2*1) = (5, -11)
      const f = (x: mx.Array) =>
        mx.add(mx.sum(mx.multiply(mx.multiply(x, x), x)), mx.prod(x));
      const [g, hv] = mx.jvp((x) => mx.grad(f)(x) as mx.Array, [mx.array([1, 2])], [mx.array([1, -1])]);
      expectClose(g[0]!.tolist(), [3 + 2, 12 + 1]);
      expectClose(hv[0]!.tolist(), [5, -11]);
    });
  });

  it('jvp pushes tangents forward and vjp pulls cotangents back', () => {
    mx.tidy(() => {
      const f = (x: mx.Array, y: mx.Array) => mx.multiply(mx.exp(x), y);
      const [outs, jv] = mx.jvp(f, [mx.array(0), mx.array(3)], [mx.array(1), mx.array(2)]);
      expectClose(outs[0]!.item(), 3);
      expectClose(jv[0]!.item(), 3 + 2); // e^0*3*1 + e^0*2
      const [, vj] = mx.vjp(f, [mx.array(0), mx.array(3)], [mx.array(2)]);
      expectClose(vj[0]!.item(), 6);
      expectClose(vj[1]!.item(), 2);
    });
  });

  it('stopGradient blocks gradients; closed-over arrays are constants', () => {
    mx.tidy(() => {
      const c = mx.array(2);
      const f = (x: mx.Array) => mx.add(mx.multiply(x, c), mx.stopGradient(mx.multiply(x, x)));
      const [v, g] = mx.valueAndGrad(f)(mx.array(3)) as [mx.Array, mx.Array];
      expectClose(v.item(), 15);
      expectClose(g.item(), 2);
    });
  });

  it('item() inside grad keeps the graph (data-dependent control flow)', () => {
    mx.tidy(() => {
      const f = (x: mx.Array) => {
        const y = mx.multiply(x, x);
        return (y.item() as number) > 3 ? mx.multiply(y, x) : y;
      };
      expectClose((mx.grad(f)(mx.array(2)) as mx.Array).item(), 12);
      expectClose((mx.grad(f)(mx.array(1)) as mx.Array).item(), 2);
    });
  });

  it('gradient dtype equals the input dtype', () => {
    mx.tidy(() => {
      for (const d of [mx.float16, mx.bfloat16, mx.float32, mx.float64]) {
        const g = mx.grad((x: mx.Array) => mx.sum(mx.multiply(x, x)))(mx.array([1, 2], d)) as mx.Array;
        expect(g.dtype).toBe(d);
        expectClose(g.tolist(), [2, 4]);
      }
    });
  });

  it('errors follow MLX', () => {
    mx.tidy(() => {
      const x = mx.array([1, 2]);
      expect(() => mx.grad((a: mx.Array) => a)(x)).toThrow('[grad] The function must return a scalar');
      expect(() => mx.grad((a: mx.Array) => mx.sum(a), 2)(x)).toThrow(
        "[grad] Can't compute the gradient of argument index 2 because the function is called with only 1 positional arguments.",
      );
      expect(() => mx.grad((a: mx.Array) => mx.sum(a), -1)).toThrow("[grad] Can't compute the gradient of negative argument index -1");
      expect(() => mx.grad((a: mx.Array, b: mx.Array) => mx.sum(a), [1, 1])).toThrow('[grad] Duplicate argument index 1');
      expect(() => mx.grad((a: unknown) => mx.sum(x))([x, 3])).toThrow('argument 0[1] is number');
      expect(() => mx.vjp((a: mx.Array) => a, [x], [mx.array([1, 2, 3])])).toThrow(
        '[vjp] Output shape (2) does not match cotangent shape (3).',
      );
      expect(() => mx.vjp((a: mx.Array) => a, [x], [])).toThrow('[vjp] Number of outputs');
      expect(() => mx.jvp((a: mx.Array) => a, [x], [mx.array([1])])).toThrow(
        '[jvp] Input shape (2) does not match tangent shape (1).',
      );
    });
  });

  it('an Error thrown inside the function propagates as the same object, leaving nothing behind', () => {
    // The leak check around this test sees anything the failed transform left behind.
    const boom = new Error('user code failed');
    const input = mx.array(1);
    expect(() =>
      mx.grad((x: mx.Array) => {
        mx.multiply(x, 2);
        throw boom;
      })(input),
    ).toThrow(boom);
    input.dispose();
  });

  describe('finite differences', () => {
    it('add, subtract, multiply, divide with broadcasting', () => {
      checkGrads((a, b) => mx.add(a, b), [[2, 3], [3]]);
      checkGrads((a, b) => mx.subtract(a, b), [[2, 1], [1, 3]]);
      checkGrads((a, b) => mx.multiply(a, b), [[2, 3], [2, 3]]);
      checkGrads((a, b) => mx.divide(a, b), [[3], [2, 3]], { range: [0.5, 2] });
    });
    it('negative, exp, log, tanh', () => {
      checkGrads((a) => mx.negative(a), [[4]]);
      checkGrads((a) => mx.exp(a), [[2, 2]]);
      checkGrads((a) => mx.log(a), [[5]], { range: [0.2, 3] });
      checkGrads((a) => mx.tanh(a), [[3, 2]]);
    });
    it('sum and mean over axes, with and without keepdims', () => {
      checkGrads((a) => mx.sum(a, 1), [[2, 3, 2]]);
      checkGrads((a) => mx.sum(a, [0, 2], true), [[2, 3, 2]]);
      checkGrads((a) => mx.mean(a), [[3, 2]]);
    });
    it('reshape, transpose, broadcastTo, astype', () => {
      checkGrads((a) => mx.reshape(a, [3, 2]), [[2, 3]]);
      checkGrads((a) => mx.transpose(a, [2, 0, 1]), [[2, 3, 2]]);
      checkGrads((a) => mx.broadcastTo(a, [4, 2, 3]), [[2, 1]]);
      // Through float32 the differences need a coarser step.
      checkGrads((a) => mx.exp(mx.astype(mx.astype(a, mx.float32), mx.float64)), [[3]], { step: 1e-3, atol: 1e-4, rtol: 1e-3 });
    });
    it('matmul: matrices, batches with broadcasting, vectors', () => {
      checkGrads((a, b) => mx.matmul(a, b), [[2, 3], [3, 4]]);
      checkGrads((a, b) => mx.matmul(a, b), [[2, 1, 2, 3], [3, 3, 2]]);
      checkGrads((a, b) => mx.matmul(a, b), [[3], [3, 2]]);
      checkGrads((a, b) => mx.matmul(a, b), [[2, 3], [3]]);
    });
  });
});

describeEachBackend('asyncEval', () => {
  it('computes without blocking the event loop, and the values are right', async () => {
    // Long enough (400 adds of 200,000 elements) that a timer set now fires before the end
    // even when the evaluation runs on a thread of its own.
    const x = mx.tidy(() => {
      let y = mx.zeros([200000]);
      for (let i = 0; i < 400; i++) y = mx.add(y, 1);
      return y;
    });
    let timerFired = false;
    setTimeout(() => {
      timerFired = true;
    }, 0);
    let firedBeforeDone = false;
    await mx.asyncEval(x).then(() => {
      firedBeforeDone = timerFired;
    });
    expect(firedBeforeDone).toBe(true);
    expect(mx.tidy(() => mx.sum(x).item())).toBe(400 * 200000);
    mx.dispose([x]);
  });

  it('is an error inside a transform', async () => {
    let pending: Promise<void> | undefined;
    mx.tidy(() => {
      mx.grad((a: mx.Array) => {
        pending = mx.asyncEval(a);
        return mx.sum(a);
      })(mx.array([1, 2]));
    });
    await expect(pending).rejects.toThrow('[async_eval] Cannot be used inside a transform');
  });
});

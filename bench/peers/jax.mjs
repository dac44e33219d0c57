// jax-js on its wasm device. Arrays are reference counted and consumed by the ops they are
// passed to (`.ref` keeps one), and work may be deferred: blockUntilReady() waits for it.
import { readFileSync } from 'node:fs';
import { COLSUM, CONV, GRAD, MLP, OVERHEAD_OPS, conv2dLayouts, mlpValues } from '../cases.mjs';

export const version = () => JSON.parse(readFileSync(new URL('../../node_modules/@jax-js/jax/package.json', import.meta.url))).version;

export async function load() {
  const jax = await import('@jax-js/jax');
  const { numpy: np, nn, lax } = jax;
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error('the wasm device did not initialise');
  jax.defaultDevice('wasm');
  const arr = (data, shape) => np.array(data).reshape(shape);
  const read = (x) => x.ref.dataSync();
  const free = (x) => (Array.isArray(x) ? x : [x]).forEach((a) => a.dispose());
  const unary = (make) => (inp) => {
    const held = make.inputs(inp);
    return {
      run: async () => {
        const out = make.op(...held.map((h) => h.ref));
        await out.blockUntilReady();
        return out;
      },
      read,
      free,
      dispose: () => free(held),
    };
  };
  const cases = {};
  for (const n of [256, 512, 1024]) {
    cases[`matmul${n}`] = unary({ inputs: (i) => [arr(i.mm[n].a, [n, n]), arr(i.mm[n].b, [n, n])], op: np.matmul });
  }
  cases.add = unary({ inputs: (i) => [arr(i.x4, [i.x4.length]), arr(i.y4, [i.y4.length])], op: np.add });
  cases.sum = unary({ inputs: (i) => [arr(i.x4, [i.x4.length])], op: (x) => np.sum(x) });
  cases.softmax = unary({ inputs: (i) => [arr(i.soft.data, [i.soft.rows, i.soft.cols])], op: (x) => nn.softmax(x, -1) });
  cases.addScalar = unary({ inputs: (i) => [arr(i.x4, [i.x4.length])], op: (x) => np.add(x, 0.5) });
  cases.addRow = unary({ inputs: (i) => [arr(i.x4, [COLSUM, COLSUM]), arr(i.row, [COLSUM])], op: np.add });
  cases.sumAxis0 = unary({ inputs: (i) => [arr(i.x4, [COLSUM, COLSUM])], op: (x) => np.sum(x, 0) });
  // lax.convGeneralDilated: input NCHW, kernel [C_out, C_in, KH, KW], output NCHW (turned
  // back into NHWC for the cross-check, outside the timing).
  cases.conv2d = (i) => {
    const c = unary({
      inputs: (inp) => {
        const l = conv2dLayouts(inp.conv);
        return [arr(l.xNCHW, [CONV.n, CONV.cin, CONV.h, CONV.w]), arr(l.wOIHW, [CONV.cout, CONV.cin, CONV.k, CONV.k])];
      },
      op: (x, w) => lax.convGeneralDilated(x, w, [1, 1], 'SAME'),
    })(i);
    return { ...c, read: (x) => x.ref.transpose([0, 2, 3, 1]).dataSync() };
  };
  cases.gradTanh = (i) => {
    const x = arr(i.grad.x, [GRAD.m, GRAD.k]);
    const w = arr(i.grad.w, [GRAD.k, GRAD.n]);
    const g = jax.grad((w_) => np.sum(np.tanh(np.matmul(x.ref, w_))));
    return {
      run: async () => {
        const out = g(w.ref);
        await out.blockUntilReady();
        return out;
      },
      read,
      free,
      dispose: () => free([x, w]),
    };
  };
  // jax-js defers element-wise work and fuses it: one chain of 10,000 adds becomes one
  // ever-growing expression (measured: ~3.5 ms per op). Waiting for the result every
  // SYNC_EVERY adds keeps that from dominating, and is what a user would do.
  const SYNC_EVERY = 1;
  cases.overhead = (i) => {
    const x = arr(i.small, [16]);
    return {
      run: async () => {
        let y = x.ref;
        for (let k = 0; k < OVERHEAD_OPS; k++) {
          y = y.add(x.ref);
          if ((k + 1) % SYNC_EVERY === 0) await y.blockUntilReady();
        }
        await y.blockUntilReady();
        return y;
      },
      read,
      free,
      dispose: () => x.dispose(),
    };
  };
  cases.mlp = (inp) => {
    const { batch, inp: ni, hidden, out: no, lr } = MLP;
    const m = inp.mlp;
    const x = arr(m.x, [batch, ni]);
    const t = arr(m.t, [batch, no]);
    const params = [arr(m.w1, [ni, hidden]), arr(m.b1, [hidden]), arr(m.w2, [hidden, no]), arr(m.b2, [no])];
    const loss = ([w1, b1, w2, b2]) => {
      const h = np.tanh(np.matmul(x.ref, w1).add(b1));
      const y = np.matmul(h, w2).add(b2);
      return np.mean(np.square(y.sub(t.ref)));
    };
    const vg = jax.valueAndGrad(loss);
    return {
      run: async () => {
        const [l, g] = vg(params.map((p) => p.ref));
        const next = params.map((p, k) => p.ref.sub(g[k].mul(lr)));
        await jax.blockUntilReady([l, ...next]);
        return [l, ...next];
      },
      read: (r) => mlpValues(r.map(read)),
      free,
      dispose: () => free([x, t, ...params]),
    };
  };
  return { mode: 'wasm, 1 thread', cases };
}

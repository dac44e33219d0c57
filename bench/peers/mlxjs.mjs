// mlxjs on its wasm backend, from the built packages (npm run build); load(2) for 2 threads.
import { readFileSync } from 'node:fs';
import { COLSUM, CONV, CONV3D, COPY_ELEMS, GRAD, MLP, OVERHEAD_OPS, QMM, mlpValues } from '../cases.mjs';

export const version = () => JSON.parse(readFileSync(new URL('../../packages/mlxjs/package.json', import.meta.url))).version;

// backend: 'wasm' here (threads: 1, or 2 from bench/peers/mlxjs2.mjs);
// bench/peers/mlxjs-native.mjs runs the same cases on 'native'.
export async function load(backend = 'wasm', threads = 1) {
  const mx = await import('mlxjs');
  await mx.init({ backend });
  let info = null;
  if (backend === 'wasm') {
    await mx.setNumThreads(threads);
    info = mx.threadingInfo();
    if (info.threads !== threads || info.workers < threads - 1) throw new Error(`mlxjs could not run ${threads} threads: ${info.reason}`);
  }
  const f32 = (data, shape) => mx.keep(mx.array(data, shape));
  const read = (x) => x.toTypedArray();
  const free = (x) => mx.dispose(x);
  // An op on arrays that stay alive for the whole case; the result is evaluated (mlxjs is lazy).
  const unary = (make) => (inp) => {
    const held = make.inputs(inp);
    return {
      run: () => {
        const out = make.op(...held);
        mx.eval(out);
        return out;
      },
      read,
      free,
      dispose: () => mx.dispose(held),
    };
  };
  const cases = {};
  for (const n of [256, 512, 1024]) {
    cases[`matmul${n}`] = unary({ inputs: (i) => [f32(i.mm[n].a, [n, n]), f32(i.mm[n].b, [n, n])], op: mx.matmul });
  }
  cases.add = unary({ inputs: (i) => [f32(i.x4, [i.x4.length]), f32(i.y4, [i.y4.length])], op: mx.add });
  cases.sum = unary({ inputs: (i) => [f32(i.x4, [i.x4.length])], op: (x) => mx.sum(x) });
  cases.softmax = unary({ inputs: (i) => [f32(i.soft.data, [i.soft.rows, i.soft.cols])], op: (x) => mx.softmax(x, -1) });
  cases.addScalar = unary({ inputs: (i) => [f32(i.x4, [i.x4.length])], op: (x) => mx.add(x, 0.5) });
  cases.addRow = unary({ inputs: (i) => [f32(i.x4, [COLSUM, COLSUM]), f32(i.row, [COLSUM])], op: mx.add });
  cases.sumAxis0 = unary({ inputs: (i) => [f32(i.x4, [COLSUM, COLSUM])], op: (x) => mx.sum(x, 0) });
  cases.conv2d = unary({
    inputs: (i) => [f32(i.conv.x, [CONV.n, CONV.h, CONV.w, CONV.cin]), f32(i.conv.w, [CONV.cout, CONV.k, CONV.k, CONV.cin])],
    op: (x, w) => mx.conv2d(x, w, 1, (CONV.k - 1) / 2),
  });
  cases.conv3d = unary({
    inputs: (i) => [
      f32(i.conv3d.x, [CONV3D.n, CONV3D.d, CONV3D.h, CONV3D.w, CONV3D.cin]),
      f32(i.conv3d.w, [CONV3D.cout, CONV3D.k, CONV3D.k, CONV3D.k, CONV3D.cin]),
    ],
    op: (x, w) => mx.conv3d(x, w, 1, (CONV3D.k - 1) / 2),
  });
  cases.gradTanh = (i) => {
    const x = f32(i.grad.x, [GRAD.m, GRAD.k]);
    const w = f32(i.grad.w, [GRAD.k, GRAD.n]);
    const g = mx.grad((w_) => mx.sum(mx.tanh(mx.matmul(x, w_))));
    return {
      run: () => {
        const out = g(w);
        mx.eval(out);
        return out;
      },
      read,
      free,
      dispose: () => mx.dispose([x, w]),
    };
  };
  cases.overhead = unary({
    inputs: (i) => [f32(i.small, [16])],
    op: (x) =>
      mx.tidy(() => {
        let y = x;
        for (let k = 0; k < OVERHEAD_OPS; k++) y = mx.add(y, x);
        return y;
      }),
  });
  // Quantized matmul (issue #22) and the float32 matmul of the same shape; the weights
  // stay alive over the case, x is the first `rows` rows of the prompt input.
  for (const [name, rows] of [['Decode', 1], ['Prompt', QMM.promptRows]]) {
    const { k, n, groupSize, bits } = QMM;
    const x = (i) => f32(i.qmm.x.subarray(0, rows * k), [rows, k]);
    cases[`qmm4${name}`] = unary({
      inputs: (i) => [
        x(i),
        mx.keep(mx.array(i.qmm.q.words, [n, (k * bits) / 32], mx.uint32)),
        f32(i.qmm.q.scales, [n, k / groupSize]),
        f32(i.qmm.q.biases, [n, k / groupSize]),
      ],
      op: (xs, w, s, b) => mx.quantizedMatmul(xs, w, s, b, { groupSize, bits, transpose: true }),
    });
    cases[`f32mm${name}`] = unary({ inputs: (i) => [x(i), f32(i.qmm.wf, [k, n])], op: mx.matmul });
  }
  // A copy-like op over 64 MiB: the memory bandwidth the machine gives this backend.
  cases.copy = unary({ inputs: (i) => [f32(i.copy, [COPY_ELEMS])], op: mx.negative });
  cases.mlp = (inp) => {
    const { batch, inp: ni, hidden, out: no, lr } = MLP;
    const m = inp.mlp;
    const x = f32(m.x, [batch, ni]);
    const t = f32(m.t, [batch, no]);
    const params = [f32(m.w1, [ni, hidden]), f32(m.b1, [hidden]), f32(m.w2, [hidden, no]), f32(m.b2, [no])];
    const loss = (w1, b1, w2, b2) => {
      const h = mx.tanh(mx.add(mx.matmul(x, w1), b1));
      const y = mx.add(mx.matmul(h, w2), b2);
      return mx.mean(mx.square(mx.subtract(y, t)));
    };
    const vg = mx.valueAndGrad(loss, [0, 1, 2, 3]);
    return {
      run: () =>
        mx.tidy(() => {
          const [l, g] = vg(...params);
          const next = params.map((p, k) => mx.subtract(p, mx.multiply(g[k], lr)));
          mx.eval(l, next);
          return [l, ...next];
        }),
      read: (r) => mlpValues(r.map(read)),
      free,
      dispose: () => mx.dispose([x, t, ...params]),
    };
  };
  return { mode: backend === 'wasm' ? `wasm, ${threads === 1 ? '1 thread' : `${threads} threads`} (${info.mode})` : `${backend} addon`, cases };
}


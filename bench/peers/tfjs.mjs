// TensorFlow.js with its wasm backend (XNNPACK, SIMD; no threads in Node). Ops run eagerly,
// so a call returning means the result is computed.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { COLSUM, CONV, GRAD, MLP, OVERHEAD_OPS, conv2dLayouts, mlpValues } from '../cases.mjs';

export const version = () => JSON.parse(readFileSync(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/package.json', import.meta.url))).version;

export async function load() {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-core's Node bundle has no gradients (the full @tensorflow/tfjs package adds them);
  // they register into tfjs's global registry, so loading tfjs-core's own ES module of them
  // (with the resolve hook above) makes tf.valueAndGrads work.
  register('./tfjs-resolve.mjs', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const read = (x) => x.dataSync();
  const free = (x) => tf.dispose(x);
  const unary = (make) => (inp) => {
    const held = make.inputs(inp);
    return { run: () => make.op(...held), read, free, dispose: () => tf.dispose(held) };
  };
  const cases = {};
  for (const n of [256, 512, 1024]) {
    cases[`matmul${n}`] = unary({ inputs: (i) => [tf.tensor2d(i.mm[n].a, [n, n]), tf.tensor2d(i.mm[n].b, [n, n])], op: tf.matMul });
  }
  cases.add = unary({ inputs: (i) => [tf.tensor1d(i.x4), tf.tensor1d(i.y4)], op: tf.add });
  cases.sum = unary({ inputs: (i) => [tf.tensor1d(i.x4)], op: (x) => tf.sum(x) });
  cases.softmax = unary({ inputs: (i) => [tf.tensor2d(i.soft.data, [i.soft.rows, i.soft.cols])], op: (x) => tf.softmax(x, -1) });
  cases.addScalar = unary({ inputs: (i) => [tf.tensor1d(i.x4), tf.scalar(0.5)], op: tf.add });
  cases.addRow = unary({ inputs: (i) => [tf.tensor2d(i.x4, [COLSUM, COLSUM]), tf.tensor1d(i.row)], op: tf.add });
  cases.sumAxis0 = unary({ inputs: (i) => [tf.tensor2d(i.x4, [COLSUM, COLSUM])], op: (x) => tf.sum(x, 0) });
  cases.conv2d = unary({
    // NHWC input (as mlxjs), filter [KH, KW, C_in, C_out].
    inputs: (i) => [tf.tensor4d(i.conv.x, [CONV.n, CONV.h, CONV.w, CONV.cin]), tf.tensor4d(conv2dLayouts(i.conv).wHWIO, [CONV.k, CONV.k, CONV.cin, CONV.cout])],
    op: (x, w) => tf.conv2d(x, w, 1, 'same'),
  });
  cases.gradTanh = unary({
    inputs: (i) => [tf.tensor2d(i.grad.x, [GRAD.m, GRAD.k]), tf.tensor2d(i.grad.w, [GRAD.k, GRAD.n])],
    op: (x, w) => tf.grad((w_) => tf.sum(tf.tanh(tf.matMul(x, w_))))(w),
  });
  cases.overhead = unary({
    inputs: (i) => [tf.tensor1d(i.small)],
    op: (x) =>
      tf.tidy(() => {
        let y = x;
        for (let k = 0; k < OVERHEAD_OPS; k++) y = tf.add(y, x);
        return y;
      }),
  });
  cases.mlp = (inp) => {
    const { batch, inp: ni, hidden, out: no, lr } = MLP;
    const m = inp.mlp;
    const x = tf.tensor2d(m.x, [batch, ni]);
    const t = tf.tensor2d(m.t, [batch, no]);
    const params = [tf.tensor2d(m.w1, [ni, hidden]), tf.tensor1d(m.b1), tf.tensor2d(m.w2, [hidden, no]), tf.tensor1d(m.b2)];
    const loss = (w1, b1, w2, b2) => {
      const h = tf.tanh(tf.add(tf.matMul(x, w1), b1));
      const y = tf.add(tf.matMul(h, w2), b2);
      return tf.mean(tf.square(tf.sub(y, t)));
    };
    const vg = tf.valueAndGrads(loss);
    return {
      run: () =>
        tf.tidy(() => {
          const { value, grads } = vg(params);
          const next = params.map((p, k) => tf.sub(p, tf.mul(grads[k], lr)));
          return [value, ...next];
        }),
      read: (r) => mlpValues(r.map(read)),
      free,
      dispose: () => tf.dispose([x, t, ...params]),
    };
  };
  return { mode: 'wasm (XNNPACK, SIMD), 1 thread', cases };
}

// onnxruntime-web (wasm execution provider, 1 thread; load(2): 2 threads) running one-node ONNX models. It has
// no eager API and no training, so the per-op case is one session.run per add and there is
// no MLP step.
import { readFileSync } from 'node:fs';
import { COLSUM, CONV, OVERHEAD_OPS, QMM, conv2dLayouts, nchwToNhwc } from '../cases.mjs';
import { INT64, matmulWeightsModel, singleOpModel } from '../onnx.mjs';

export const version = () => JSON.parse(readFileSync(new URL('../../node_modules/onnxruntime-web/package.json', import.meta.url))).version;

export async function load(threads = 1) {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const session = (model) => ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const tensor = (data, shape) => new ort.Tensor(data instanceof BigInt64Array ? 'int64' : 'float32', data, shape);
  const read = (t) => t.data;
  const free = (t) => t.dispose?.();
  // One session per case; inputs are host tensors that ORT copies in on every run.
  const single = (op, inputs, outShape, attrs) => async () => {
    const s = await session(singleOpModel(op, inputs.map(([n, data, shape]) => [n, shape, data instanceof BigInt64Array ? INT64 : undefined]), outShape, attrs));
    const feeds = Object.fromEntries(inputs.map(([n, data, shape]) => [n, tensor(data, shape)]));
    return { run: async () => (await s.run(feeds)).out, read, free, dispose: () => s.release() };
  };
  const cases = {};
  for (const n of [256, 512, 1024]) {
    cases[`matmul${n}`] = (i) => single('MatMul', [['a', i.mm[n].a, [n, n]], ['b', i.mm[n].b, [n, n]]], [n, n])();
  }
  const N4 = 4 * 1024 * 1024;
  cases.add = (i) => single('Add', [['x', i.x4, [N4]], ['y', i.y4, [N4]]], [N4])();
  cases.sum = (i) => single('ReduceSum', [['x', i.x4, [N4]]], [], { keepdims: 0 })();
  cases.softmax = (i) => single('Softmax', [['x', i.soft.data, [4096, 1024]]], [4096, 1024], { axis: -1 })();
  cases.addScalar = (i) => single('Add', [['x', i.x4, [N4]], ['y', Float32Array.of(0.5), []]], [N4])();
  cases.addRow = (i) => single('Add', [['x', i.x4, [COLSUM, COLSUM]], ['y', i.row, [COLSUM]]], [COLSUM, COLSUM])();
  // Opset 13's ReduceSum takes its axes as an int64 input.
  cases.sumAxis0 = (i) => single('ReduceSum', [['x', i.x4, [COLSUM, COLSUM]], ['axes', BigInt64Array.of(0n), [1]]], [COLSUM], { keepdims: 0 })();
  // Conv is NCHW with an [C_out, C_in, KH, KW] kernel; the result is turned back into NHWC
  // for the cross-check, outside the timing.
  cases.conv2d = async (i) => {
    const l = conv2dLayouts(i.conv);
    const p = (CONV.k - 1) / 2;
    const outShape = [CONV.n, CONV.cout, CONV.h, CONV.w];
    const c = await single('Conv', [['x', l.xNCHW, [CONV.n, CONV.cin, CONV.h, CONV.w]], ['w', l.wOIHW, [CONV.cout, CONV.cin, CONV.k, CONV.k]]], outShape, { pads: [p, p, p, p], strides: [1, 1] })();
    return { ...c, read: (t) => nchwToNhwc(t.data, outShape) };
  };
  // The quantized matmul cases: MatMulNBits (4-bit, zero points packed two per byte, the
  // first block in the low nibble) and MatMul, both with their weights as initializers.
  for (const [name, rows] of [['Decode', 1], ['Prompt', QMM.promptRows]]) {
    const { k, n, groupSize } = QMM;
    const model = async (i, q) => {
      const s = await session(matmulWeightsModel({ m: rows, k, n, b: i.qmm.wf, q }));
      const feeds = { a: tensor(i.qmm.x.subarray(0, rows * k), [rows, k]) };
      return { run: async () => (await s.run(feeds)).out, read, free, dispose: () => s.release() };
    };
    cases[`qmm4${name}`] = async (i) => {
      const { words, scales, zp } = i.qmm.q;
      const blocks = k / groupSize, perRow = Math.ceil(blocks / 2);
      const zeroPoints = new Uint8Array(n * perRow);
      for (let r = 0; r < n; r++) {
        for (let g = 0; g < blocks; g++) zeroPoints[r * perRow + (g >> 1)] |= zp[r * blocks + g] << ((g & 1) * 4);
      }
      const codes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
      try {
        return await model(i, { blockSize: groupSize, codes, scales, zeroPoints });
      } catch (e) {
        throw new Error(`MatMulNBits did not run: ${String(e?.message ?? e).split('\n')[0]}`);
      }
    };
    cases[`f32mm${name}`] = (i) => model(i, null);
  }
  cases.copy = 'the bandwidth probe is measured by mlxjs on each of its backends';
  cases.gradTanh = 'no gradients (inference only)';
  cases.mlp = 'no gradients (inference only)';
  cases.overhead = async (i) => {
    const s = await session(singleOpModel('Add', [['x', [16]], ['y', [16]]], [16]));
    const x = tensor(i.small, [16]);
    return {
      run: async () => {
        let y = x;
        for (let k = 0; k < OVERHEAD_OPS; k++) y = (await s.run({ x: y, y: x })).out;
        return y;
      },
      read,
      free,
      dispose: () => s.release(),
    };
  };
  return { mode: `wasm EP, ${threads === 1 ? '1 thread' : `${threads} threads`}`, cases };
}

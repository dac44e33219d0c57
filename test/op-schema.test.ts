// Op parameters are defined once, by each registration's schema in the core
// (core-cpp/src/c_api/ops_<family>.cpp, read through Backend.opSchema), and the TypeScript
// ops encode their named arguments from it (packages/core/src/ops/call.ts). These tests
// drive every registered op once through the public API, so an op whose TypeScript call
// does not match its schema (a name, a kind, an enum name) fails here, and check that the
// encoder refuses what the schema does not describe.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { encodeParams, parseSchema } from '../packages/core/src/ops/call.js';
import { describeEachBackend } from './helpers/backends.js';

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const fns = mx as unknown as Record<string, (...args: unknown[]) => unknown>;

const UNARY = ['negative', 'exp', 'log', 'tanh', 'stop_gradient', 'abs', 'sign', 'square', 'sqrt', 'rsqrt', 'reciprocal',
  'expm1', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh',
  'arccosh', 'arctanh', 'sigmoid', 'erf', 'erfinv', 'ceil', 'floor', 'trunc', 'degrees', 'radians', 'logical_not', 'isnan',
  'isinf', 'isfinite', 'isposinf', 'isneginf', 'real', 'imag', 'conjugate'];
const BINARY = ['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'remainder', 'power', 'maximum', 'minimum',
  'logaddexp', 'arctan2', 'logical_and', 'logical_or', 'equal', 'not_equal', 'greater', 'greater_equal', 'less',
  'less_equal'];
const INT_BINARY = ['bitwise_and', 'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift'];
const REDUCE = ['sum', 'mean', 'max', 'prod', 'min', 'all', 'any', 'logsumexp', 'var', 'std', 'argmin', 'argmax',
  'cumsum', 'cumprod', 'cummax', 'cummin', 'logcumsumexp', 'softmax'];

/** One call through the public API per op (by core name), each with its optional parameters given. */
function sampleCalls(): Record<string, () => unknown> {
  const x = (): mx.Array => mx.array([[0.5, 0.25], [0.125, 0.75]]);
  const v = (): mx.Array => mx.array([0.5, 0.25, 0.75]);
  const i = (): mx.Array => mx.array([[1, 2], [3, 4]], mx.int32);
  const key = (): mx.Array => mx.random.key(3);
  const spd = (): mx.Array => mx.array([[4, 1], [1, 3]]);
  const calls: Record<string, () => unknown> = {};
  for (const n of UNARY) calls[n] = () => fns[camel(n)]!(x());
  for (const n of BINARY) calls[n] = () => fns[camel(n)]!(x(), 0.5);
  for (const n of INT_BINARY) calls[n] = () => fns[camel(n)]!(i(), 1);
  calls['bitwise_invert'] = () => mx.bitwiseInvert(i());
  for (const n of REDUCE) {
    calls[n] = n.startsWith('cum') || n.startsWith('arg') || n === 'logcumsumexp' ? () => fns[n]!(x(), 1, true) : () => fns[n]!(x(), [0], true);
  }
  Object.assign(calls, {
    where: () => mx.where(mx.greater(x(), 0.3), x(), 0),
    isclose: () => mx.isclose(x(), x(), { rtol: 1e-3, atol: 0, equalNan: true }),
    allclose: () => mx.allclose(x(), x()),
    array_equal: () => mx.arrayEqual(x(), x(), true),
    conv_direct: () => mx.convGeneral(mx.ones([1, 4, 4, 2]), mx.ones([3, 2, 2, 2]), 2, [[1, 0], [0, 2]], 1, 1, 1),
    arange: () => mx.arange(0, 5, 2),
    full: () => mx.full([2, 2], 3),
    linspace: () => mx.linspace(0, 1, 5),
    eye: () => mx.eye(3, 2, 1),
    tri: () => mx.tri(3),
    tril: () => mx.tril(x(), 1),
    triu: () => mx.triu(x()),
    meshgrid: () => mx.meshgrid(v(), v(), { indexing: 'ij', sparse: true }),
    astype: () => mx.astype(x(), mx.float16),
    view: () => mx.view(i(), mx.float32),
    divmod: () => mx.divmod(x(), 0.3),
    round: () => mx.round(x(), 1),
    clip: () => mx.clip(x(), 0.2, 0.6),
    nan_to_num: () => mx.nanToNum(x(), 0, 1, -1),
    as_strided: () => mx.asStrided(v(), [2, 2], [1, 1], 0),
    contiguous: () => mx.contiguous(x().T, { allowColMajor: true }),
    rms_norm: () => mx.fast.rmsNorm(x(), mx.ones([2])),
    fftn: () => mx.fft.irfftn(x(), { s: [2, 3], axes: [0, 1], norm: 'ortho' }),
    fftshift: () => mx.fft.fftshift(x(), [0]),
    ifftshift: () => mx.fft.ifftshift(x(), [1]),
    fftfreq: () => mx.fft.fftfreq(5, 0.5),
    rfftfreq: () => mx.fft.rfftfreq(5, 0.5),
    quantize: () => mx.quantize(mx.ones([2, 32]), { groupSize: 32, bits: 4, mode: 'affine' }),
    dequantize: () => mx.dequantize(mx.zeros([2, 4], mx.uint32), mx.ones([2, 1]), mx.zeros([2, 1]),
      { groupSize: 32, bits: 4, mode: 'affine', dtype: mx.float16 }),
    quantized_matmul: () => mx.quantizedMatmul(mx.ones([1, 32]), mx.zeros([2, 4], mx.uint32), mx.ones([2, 1]),
      mx.zeros([2, 1]), { transpose: true, groupSize: 32, bits: 4, mode: 'affine' }),
    gather_qmm: () => mx.gatherQmm(mx.ones([2, 1, 32]), mx.zeros([3, 2, 4], mx.uint32), mx.ones([3, 2, 1]),
      mx.zeros([3, 2, 1]), { lhsIndices: mx.array([1, 0], mx.uint32), rhsIndices: mx.array([2, 0], mx.uint32),
        transpose: true, groupSize: 32, bits: 4, mode: 'affine', sortedIndices: false }),
    qqmm: () => mx.qqmm(mx.ones([1, 32]), mx.ones([2, 32]), null, { groupSize: 16, bits: 4, mode: 'nvfp4' }),
    layer_norm: () => mx.fast.layerNorm(x(), mx.ones([2]), mx.zeros([2])),
    rope: () => mx.fast.rope(mx.ones([1, 2, 4]), 4, { traditional: true, offset: 1 }),
    scaled_dot_product_attention: () =>
      mx.fast.scaledDotProductAttention(mx.ones([1, 1, 2, 4]), mx.ones([1, 1, 2, 4]), mx.ones([1, 1, 2, 4]), {
        scale: 0.5, mask: 'causal',
      }),
    gather: () => mx.index(x(), mx.array([1, 0], mx.int32)),
    scatter: () => mx.scatter(x(), mx.array([1], mx.int32), mx.ones([1, 1, 2]), 0),
    scatter_add: () => mx.scatterAdd(x(), mx.array([1], mx.int32), mx.ones([1, 1, 2]), 0),
    scatter_prod: () => mx.scatterProd(x(), mx.array([1], mx.int32), mx.ones([1, 1, 2]), 0),
    scatter_max: () => mx.scatterMax(x(), mx.array([1], mx.int32), mx.ones([1, 1, 2]), 0),
    scatter_min: () => mx.scatterMin(x(), mx.array([1], mx.int32), mx.ones([1, 1, 2]), 0),
    take: () => mx.take(x(), [1, 0], 1),
    take_along_axis: () => mx.takeAlongAxis(x(), mx.array([[1], [0]], mx.int32), 1),
    put_along_axis: () => mx.putAlongAxis(x(), mx.array([[1], [0]], mx.int32), 9, 1),
    matmul: () => mx.matmul(x(), x()),
    linalg_inv: () => mx.linalg.inv(spd()),
    linalg_solve: () => mx.linalg.solve(spd(), mx.array([1, 2])),
    linalg_cholesky: () => mx.linalg.cholesky(spd(), true),
    linalg_qr: () => mx.linalg.qr(spd()),
    linalg_svd: () => mx.linalg.svd(spd(), false),
    linalg_tri_inv: () => mx.linalg.triInv(spd(), { upper: true }),
    linalg_cholesky_inv: () => mx.linalg.choleskyInv(spd(), true),
    linalg_solve_triangular: () => mx.linalg.solveTriangular(spd(), mx.array([1, 2]), { upper: true }),
    linalg_pinv: () => mx.linalg.pinv(x()),
    linalg_cross: () => mx.linalg.cross(v(), v(), { axis: 0 }),
    linalg_lu_factor: () => mx.linalg.luFactor(spd()),
    linalg_lu: () => mx.linalg.lu(spd()),
    linalg_det: () => mx.linalg.det(spd()),
    linalg_slogdet: () => mx.linalg.slogdet(spd()),
    linalg_eigh: () => mx.linalg.eigh(spd(), { UPLO: 'U' }),
    linalg_eigvalsh: () => mx.linalg.eigvalsh(spd(), 'U'),
    linalg_eig: () => mx.linalg.eig(x()),
    linalg_eigvals: () => mx.linalg.eigvals(x()),
    gather_mm: () => mx.gatherMm(x(), x(), { lhsIndices: mx.array([0], mx.int32), rhsIndices: null, sortedIndices: true }),
    segmented_mm: () => mx.segmentedMm(x(), x(), mx.array([[0, 1], [1, 2]], mx.int32)),
    block_masked_mm: () => mx.blockMaskedMm(x(), x(), { blockSize: 32, maskOut: mx.array([[true]]), maskLhs: mx.ones([1, 1]), maskRhs: mx.ones([1, 1]) }),
    hadamard_transform: () => mx.hadamardTransform(x(), { scale: 0.5 }),
    to_fp8: () => mx.toFp8(x()),
    from_fp8: () => mx.fromFp8(mx.array([56], mx.uint8), mx.float16),
    depends: () => mx.depends([x()], [v()]),
    random_key: () => key(),
    random_split: () => mx.random.split(key(), 3),
    random_bits: () => mx.random.bits([2], 2, key()),
    random_uniform: () => mx.random.uniform(0, 1, [2], mx.float32, key()),
    random_normal: () => mx.random.normal([2], mx.float32, 1, 2, key()),
    random_randint: () => mx.random.randint(0, 5, [2], mx.int32, key()),
    random_bernoulli: () => mx.random.bernoulli(0.5, [2], key()),
    random_truncated_normal: () => mx.random.truncatedNormal(-1, 1, [2], mx.float32, key()),
    random_gumbel: () => mx.random.gumbel([2], mx.float32, key()),
    random_categorical: () => mx.random.categorical(x(), -1, null, 3, key()),
    random_permutation: () => mx.random.permutation(v(), 0, key()),
    random_permutation_n: () => mx.random.permutation(4, { key: key() }),
    random_seed: () => mx.random.seed(0), // key(0): the global key's starting value
    reshape: () => mx.reshape(x(), [4]),
    transpose: () => mx.transpose(x(), [1, 0]),
    broadcast_to: () => mx.broadcastTo(v(), [2, 3]),
    flatten: () => mx.flatten(x(), 0, -1),
    unflatten: () => mx.unflatten(v(), 0, [3, 1]),
    squeeze: () => mx.squeeze(mx.ones([1, 2]), 0),
    expand_dims: () => mx.expandDims(v(), [0]),
    swapaxes: () => mx.swapaxes(x(), 0, 1),
    moveaxis: () => mx.moveaxis(x(), 0, 1),
    atleast_1d: () => mx.atleast1d(mx.array(1)),
    atleast_2d: () => mx.atleast2d(v()),
    atleast_3d: () => mx.atleast3d(v()),
    broadcast_arrays: () => mx.broadcastArrays(v(), v().reshape(3, 1)),
    concatenate: () => mx.concatenate([x(), x()], 1),
    stack: () => mx.stack([x(), x()], 0),
    split: () => [mx.split(x(), 2, 0), mx.split(x(), [1], 1)],
    tile: () => mx.tile(x(), [2, 1]),
    repeat: () => mx.repeat(x(), 2, 0),
    pad: () => mx.pad(x(), [[1, 0], [0, 1]], 'edge'),
    roll: () => mx.roll(x(), [1], [0]),
    flip: () => mx.flip(x(), 0),
    diag: () => mx.diag(v(), 1),
    diagonal: () => mx.diagonal(x(), 0, 0, 1),
    trace: () => mx.trace(x(), 0, 0, 1, mx.float32),
    slice: () => mx.slice(x(), [0, 1], [2, 2]),
    slice_update: () => mx.sliceUpdate(x(), 1, [0, 0], [1, 2]),
    slice_dynamic: () => mx.slice(x(), mx.array([1], mx.int32), [0], [1, 2]),
    slice_update_dynamic: () => mx.sliceUpdate(x(), mx.array([[1, 2]]), mx.array([1], mx.int32), [0]),
    sort: () => mx.sort(x(), null),
    argsort: () => mx.argsort(x(), 0),
    partition: () => mx.partition(v(), 1, null),
    argpartition: () => mx.argpartition(v(), 1),
    topk: () => mx.topk(v(), 2),
  });
  return calls;
}

describeEachBackend('op parameter schemas', () => {
  it('every registered op has a readable schema', () => {
    const backend = mx.currentBackend();
    for (const name of backend.opNames()) expect(() => parseSchema(name, backend.opSchema(name)), name).not.toThrow();
    expect(backend.opSchema('sum')).toBe('axes:int[]? keepdims:bool');
    expect(backend.opSchema('pad')).toBe('pad_width:int[] mode:enum(constant|edge)');
    expect(backend.opSchema('add')).toBe('');
  });

  it('the public API reaches every registered op, each call matching its schema', () => {
    const backend = mx.currentBackend();
    const reached = new Set<string>();
    const { op, op1 } = backend;
    backend.op = (name, ...rest) => (reached.add(name), op.call(backend, name, ...rest));
    backend.op1 = (name, ...rest) => (reached.add(name), op1.call(backend, name, ...rest));
    try {
      const calls = sampleCalls();
      for (const [name, call] of Object.entries(calls)) {
        // A parameter the schema does not describe throws "[op] ..." from the encoder.
        expect(() => mx.tidy(() => {
          const out = call();
          if (out !== undefined) mx.eval(out as mx.Tree);
        }), name).not.toThrow();
      }
    } finally {
      backend.op = op;
      backend.op1 = op1;
    }
    expect(backend.opNames().filter((n) => !reached.has(n)), 'ops the sample calls never reach').toEqual([]);
  });

  it('the encoder refuses names, kinds and enum names the schema does not have', () => {
    const backend = mx.currentBackend();
    expect(encodeParams(backend, 'sum', { axes: [1, 2], keepdims: true })).toEqual([[1, 2, 1, 2, 1], []]);
    expect(encodeParams(backend, 'sum', { axes: null, keepdims: false })).toEqual([[0, 0], []]);
    expect(encodeParams(backend, 'pad', { padWidth: [1, 1], mode: 'edge' })).toEqual([[2, 1, 1, 1], []]);
    expect(encodeParams(backend, 'linspace', { start: 0, stop: 1, num: 3, dtype: mx.float32 })).toEqual([
      [3, mx.float32.code], [0, 1],
    ]);
    expect(() => encodeParams(backend, 'pad', { padWidth: [1, 1], mode: 'reflect' })).toThrow(
      "[pad] Parameter 'mode' must be one of 'constant', 'edge', got \"reflect\".",
    );
    expect(() => encodeParams(backend, 'sum', { axes: [0] })).toThrow("[sum] Missing parameter 'keepdims'");
    expect(() => encodeParams(backend, 'sum', { axes: [0], keepdims: true, axis: 1 })).toThrow(
      "[sum] Unknown parameter 'axis'",
    );
    expect(() => encodeParams(backend, 'sum', { axes: 0, keepdims: true })).toThrow('[sum] axes must be a list of integers, got 0.');
    expect(() => encodeParams(backend, 'sum', { axes: [0.5], keepdims: true })).toThrow('[sum] axes[0] = 0.5 is not an integer.');
    expect(() => encodeParams(backend, 'sum', { keepdims: 1 })).toThrow("[sum] Parameter 'keepdims' must be bool");
    expect(() => encodeParams(backend, 'astype', { dtype: 'float32' })).toThrow("[astype] Parameter 'dtype' must be dtype");
    expect(() => encodeParams(backend, 'add', { alpha: 1 })).toThrow("[add] Unknown parameter 'alpha'");
  });

  it('the core refuses parameters that do not match the schema, naming the op', () => {
    const backend = mx.currentBackend();
    mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      expect(() => backend.op1('sum', [x.handle], [1, 0])).toThrow("[sum] Missing the integer value of parameter 'keepdims'.");
      expect(() => backend.op1('sum', [x.handle], [0, 2])).toThrow("[sum] Parameter 'keepdims' must be 0 or 1, got 2.");
      expect(() => backend.op1('pad', [x.handle, x.handle], [0, 7])).toThrow("[pad] Parameter 'mode' has an invalid code 7.");
      expect(() => backend.op1('negative', [x.handle], [3])).toThrow('[negative] Takes no parameters');
    });
  });
});

// The op list of the project's spec (shared/spec/ops.md), by category, and the table of
// which of them mlxjs has: `node scripts/ops-table.mjs` writes docs/ops.md from the built
// package; test/ops-table.test.ts checks that the committed table matches the exports.

/** [category, names]; `random.x`, `linalg.x`, `fast.x`, `fft.x` live in those namespaces. */
export const SPEC_OPS = [
  ['Creation', ['array', 'zeros', 'ones', 'full', 'zerosLike', 'onesLike', 'arange', 'linspace', 'eye', 'identity', 'tri', 'tril', 'triu', 'meshgrid', 'astype', 'view',
    'asarray', 'fullLike', 'bartlett', 'blackman', 'hamming', 'hanning']],
  ['Element-wise', ['abs', 'add', 'subtract', 'multiply', 'divide', 'floorDivide', 'remainder', 'divmod', 'power', 'negative',
    'reciprocal', 'square', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'logaddexp', 'sin', 'cos', 'tan',
    'arcsin', 'arccos', 'arctan', 'arctan2', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'sigmoid', 'erf',
    'erfinv', 'sign', 'ceil', 'floor', 'round', 'clip', 'maximum', 'minimum', 'nanToNum', 'degrees', 'radians', 'trunc',
    'positive']],
  ['Comparison and logic', ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr',
    'logicalNot', 'logicalXor', 'isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf', 'isclose', 'allclose', 'arrayEqual', 'where']],
  ['Bitwise', ['bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'bitwiseInvert', 'leftShift', 'rightShift']],
  ['Reductions and scans', ['sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'all', 'any', 'argmin', 'argmax', 'logsumexp',
    'softmax', 'cumsum', 'cumprod', 'cummax', 'cummin', 'logcumsumexp', 'median', 'countNonzero', 'diff']],
  ['Shape and data movement', ['reshape', 'flatten', 'unflatten', 'squeeze', 'expandDims', 'transpose', 'swapaxes', 'moveaxis',
    'broadcastTo', 'broadcastArrays', 'concatenate', 'stack', 'split', 'tile', 'repeat', 'pad', 'roll', 'flip', 'atleast1d',
    'atleast2d', 'atleast3d', 'diag', 'diagonal', 'trace', 'stopGradient', 'concat', 'permuteDims', 'unstack',
    'asStrided', 'contiguous']],
  ['Indexing', ['take', 'takeAlongAxis', 'putAlongAxis', 'slice', 'sliceUpdate', 'scatter', 'scatterAdd', 'scatterProd',
    'scatterMax', 'scatterMin', 'Slice']],
  ['Sorting', ['sort', 'argsort', 'partition', 'argpartition', 'topk', 'searchsorted']],
  ['Linear algebra and convolution', ['matmul', 'addmm', 'inner', 'outer', 'tensordot', 'einsum', 'conv1d', 'conv2d', 'conv3d',
    'convGeneral', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'linalg.norm', 'linalg.inv', 'linalg.solve',
    'linalg.cholesky', 'linalg.qr', 'linalg.svd', 'linalg.pinv', 'linalg.triInv', 'linalg.choleskyInv',
    'linalg.solveTriangular', 'linalg.cross', 'linalg.luFactor', 'linalg.lu', 'linalg.det', 'linalg.slogdet',
    'linalg.eigh', 'linalg.eigvalsh', 'linalg.eig', 'linalg.eigvals', 'einsumPath', 'kron', 'vecdot', 'convolve',
    'gatherMm', 'segmentedMm', 'blockMaskedMm', 'hadamardTransform']],
  ['Random', ['random.seed', 'random.key', 'random.split', 'random.uniform', 'random.normal', 'random.randint',
    'random.bernoulli', 'random.categorical', 'random.truncatedNormal', 'random.gumbel', 'random.permutation',
    'random.laplace', 'random.multivariateNormal']],
  ['Quantization', ['quantize', 'dequantize', 'quantizedMatmul', 'gatherQmm', 'qqmm', 'gatherQqmm']],
  ['Fast', ['fast.rmsNorm', 'fast.layerNorm', 'fast.rope', 'fast.scaledDotProductAttention']],
  ['FFT', ['fft.fft', 'fft.ifft', 'fft.fft2', 'fft.ifft2', 'fft.fftn', 'fft.ifftn', 'fft.rfft', 'fft.irfft', 'fft.rfft2',
    'fft.irfft2', 'fft.rfftn', 'fft.irfftn', 'fft.fftfreq', 'fft.rfftfreq', 'fft.fftshift', 'fft.ifftshift']],
  ['Dtypes, shapes and compile switches', ['broadcastShapes', 'resultType', 'canCast', 'isdtype', 'issubdtype', 'finfo',
    'iinfo', 'enableCompile', 'disableCompile', 'toFp8', 'fromFp8', 'depends']],
];

/** Notes on ops whose forms or rules the table cannot show (appended to docs/ops.md). */
const NOTES = [
  '## Notes',
  '',
  '- `slice` and `sliceUpdate` have MLX\'s two forms. Static: `mx.slice(a, start, stop, strides?)` and',
  '  `mx.sliceUpdate(src, update, start, stop, strides?)` with one Python-style entry per axis. Dynamic',
  '  (MLX\'s DynamicSlice/DynamicSliceUpdate): `mx.slice(a, startIndices, axes, sliceSize)` and',
  '  `mx.sliceUpdate(src, update, startIndices, axes)`, where `startIndices` is an integer array (0-d or',
  '  1-D, one start per axis of `axes`), so a start computed in the graph needs no retrace under',
  '  `compile`; starts are clamped so the region stays inside the array. Both forms have vjp, jvp and',
  '  vmap (batched starts take the per-element loop).',
  '- `hadamardTransform(a, { scale })`: `scale * H @ x` along the last axis, n = m * 2^k with m in 1,',
  '  12, 20, 28 (MLX\'s matrices), default scale 1/sqrt(n). Its vjp applies the transpose: the',
  '  transform itself for the symmetric matrices, but the order-20 and order-28 matrices are not',
  '  symmetric, where MLX\'s rule (the transform itself) differs from finite differences.',
  '- `toFp8(x)` / `fromFp8(x, dtype)`: FP8 e4m3 codes in uint8, rounding to nearest even and',
  '  saturating at +-448 (from 464 up, and NaN) as MLX does; no gradient.',
  '- `depends(inputs, dependencies)`: `inputs` unchanged, computed after `dependencies`.',
  '- `gatherMm`, `segmentedMm`, `blockMaskedMm`, `linalg.eig`, `linalg.eigvals`: see docs/linalg.md.',
  '- `quantize`, `dequantize`, `quantizedMatmul`, `gatherQmm`, `qqmm` (modes affine, mxfp4, mxfp8, nvfp4;',
  '  nvfp4 global scales): see docs/quantization.md. `gatherQqmm` is not in mlxjs (MLX has no CPU path for it).',
  '',
];

/** The rules that make integer results the same on every backend (core-cpp/src/backend/cpu/wrapping.h, dispatch.h). */
const INTEGER_RULES = [
  '## Integer arithmetic and float-to-integer conversion',
  '',
  'The same on the wasm and native backends:',
  '',
  '- `add`, `subtract`, `multiply`, `negative`, `abs`, `square`, `power`, `sum`, `prod`, `cumsum`,',
  '  `cumprod` and the scatter updates wrap around on integer overflow as two\'s complement, as',
  '  MLX\'s results do: `int32` 2147483647 + 1 is -2147483648. `floorDivide` and `remainder` by 0',
  '  give 0, and `INT_MIN // -1` wraps to `INT_MIN`.',
  '- A float becomes an integer (`astype`, and every op that converts) by truncating toward zero;',
  '  NaN becomes 0 and values beyond the integer type\'s range become its minimum or maximum',
  '  (saturation): `astype(array([NaN, Infinity, -1e10, 300.7]), int8)` is `[0, 127, -128, 127]`,',
  '  and -1.5 to `uint8` is 0. A float becomes `bool` as `x != 0` (NaN is true).',
  '',
];

/** Whether `mx` exports `name` (dotted names look inside namespaces). */
export function has(mx, name) {
  let v = mx;
  for (const part of name.split('.')) {
    if (v === undefined || v === null) return false;
    v = v[part];
  }
  return typeof v === 'function';
}

export function renderTable(mx) {
  const lines = [
    '# Ops',
    '',
    'The op set of the spec (MLX names in camelCase) and which of them mlxjs has. Generated by',
    '`node scripts/ops-table.mjs` from the built package; `test/ops-table.test.ts` keeps it true.',
    'Every available differentiable op has vjp and jvp rules checked against finite differences',
    'in the conformance suite.',
    '',
  ];
  let total = 0;
  let done = 0;
  for (const [category, names] of SPEC_OPS) {
    lines.push(`## ${category}`, '', '| op | status |', '|---|---|');
    for (const n of names) {
      const ok = has(mx, n);
      total++;
      if (ok) done++;
      lines.push(`| \`${n}\` | ${ok ? 'available' : 'not yet'} |`);
    }
    lines.push('');
  }
  lines.push(...NOTES);
  lines.splice(7, 0, `**${done} of ${total} available.**`, '');
  lines.push(...INTEGER_RULES);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  const mx = await import('mlxjs');
  writeFileSync(new URL('../docs/ops.md', import.meta.url), renderTable(mx));
  console.log('wrote docs/ops.md');
}

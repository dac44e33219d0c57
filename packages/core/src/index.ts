/**
 * @mlxjs/core: the backend-agnostic part of mlxjs. User code imports the `mlxjs` package,
 * which re-exports this and registers the backends.
 */
export { MxArray as Array, type NestedList } from './array.js';
export type { Backend, Handle, HostFunction, MemoryStats } from './backend.js';
export { HostFunctionTable } from './host-functions.js';
export { CoreClient, type Transport } from './client/core-client.js';
export type { CoreExports } from './client/exports.js';
export {
  Dtype, type DtypeKind, type DtypeLike, dtypes, dtypeFromCode, toDtype,
  isFloating, isInteger, isSignedInteger, isUnsignedInteger, isBool, isComplex,
  bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64,
} from './dtype.js';
export { type HostTypedArray, type Scalar, type Complex, isComplexValue } from './elements.js';
export { float16Bits, float16Value, bfloat16Bits, bfloat16Value } from './half.js';
export { DtypeCode, type DtypeName } from './opcodes.js';
export {
  registerBackend, init, backendName, availableBackends, currentBackend,
  type Availability, type InitOptions,
} from './registry.js';
export { weakScalarDtype } from './scalars.js';
export type { Operand } from './operands.js';
export * from './ops/reduce.js';
export * from './ops/compare.js';
export {
  dispose, tidy, keep, memory, clearCache, setMemoryLimit, setCacheLimit, resetPeakMemory,
  type MemoryInfo,
} from './memory.js';
export { type Tree } from './tree.js';
export * as utils from './utils.js';
export { evaluate as eval, asyncEval } from './transforms.js';
export { setNumThreads, getNumThreads, threadingInfo, MAX_THREADS, type ThreadingInfo } from './threads.js';
export { vjp, jvp, grad, valueAndGrad, type Argnums } from './autodiff.js';
export * from './ops/slice.js';
export { vmap, type AxisTree } from './vmap.js';
export {
  compile, kernelCount, enableCompile, disableCompile, type CompileOptions, type CompiledFunction,
} from './compile.js';
export { customFunction, customVjp, checkpoint, type CustomFunction, type VjpFn, type JvpFn, type VmapFn } from './custom.js';
export * from './ops/sort.js';
export * from './ops/creation.js';
export * as random from './ops/random.js';
export * from './ops/indexing.js';
export { hostFunction, _closureApply, _liveClosureCount, type ArrayFunction } from './closure.js';
export * from './ops/elementwise.js';
export * from './ops/shape.js';
export {
  matmul, addmm, tensordot, inner, outer, type AddmmOptions, type TensordotAxes,
} from './ops/linalg.js';
export {
  gatherMm, segmentedMm, blockMaskedMm, type GatherMmOptions, type BlockMaskedMmOptions,
} from './ops/gather-mm.js';
export { hadamardTransform, type HadamardTransformOptions } from './ops/hadamard.js';
export { toFp8, fromFp8 } from './ops/fp8.js';
export { depends } from './ops/depends.js';
export { einsum, einsumPath } from './ops/einsum.js';
export { kron, vecdot, diff, type DiffOptions } from './ops/products.js';
export { convolve, bartlett, blackman, hamming, hanning, type ConvolveMode } from './ops/signal.js';
export { asStrided, contiguous, type AsStridedOptions } from './ops/strided.js';
export { searchsorted, type SearchSide, type SearchsortedOptions } from './ops/searchsorted.js';
export { resultType, canCast, isdtype, finfo, iinfo, promoteTypes, type DtypeKindName } from './dtype-info.js';
export * from './ops/conv.js';
export {
  quantize, dequantize, quantizedMatmul, gatherQmm, qqmm, type QuantizationMode, type FloatQuantizationMode,
  type QuantizeOptions, type DequantizeOptions, type QuantizedMatmulOptions, type GatherQmmOptions, type QqmmOptions,
} from './ops/quantized.js';
export * as fast from './ops/fast.js';
export * as linalg from './ops/linalg-namespace.js';
export * as fft from './ops/fft.js';
export type { FFTNorm, FFTOptions, FFTNOptions } from './ops/fft.js';
export {
  setPrintoptions, getPrintoptions, printoptions, formatArray, formatFloat, formatComplex,
  defineRepr, indentRepr, type PrintOptions,
} from './print.js';
export { hold as _hold, release as _release, isHeld as _isHeld } from './ownership.js';
export {
  DtypeCategory, issubdtype, generic, number, integer, signedinteger, unsignedinteger, inexact, floating, complexfloating,
} from './dtype-category.js';
export { load, loadAsync, type LoadSource, type AsyncLoadSource, type LoadOptions, type LoadMetadata, type LoadResult } from './io/load.js';
export {
  save, savez, savezCompressed, saveSafetensors, saveGguf, type SaveTarget, type SafetensorsSaveOptions, type GgufSaveOptions,
} from './io/save.js';
export type { GgufMetadata, GgufMetadataValue } from './io/gguf-arrays.js';
export type { FileFormat } from './io/formats.js';

import type { RawTensor } from './raw-tensor.js';

/** A GGUF metadata value: numbers and bools are 0-d RawTensors, numeric/bool lists 1-D ones. */
export type GgufValue = string | string[] | RawTensor;

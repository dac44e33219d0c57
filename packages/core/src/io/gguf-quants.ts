/**
 * GGUF's block-quantized tensor types, decoded two ways:
 * - `dequantizeBlocks`: float32 values, computed in float32 exactly as the `gguf` reference
 *   package (and ggml) dequantize them;
 * - `quantizedTriplet`: MLX's affine quantized layout (what MLX's GGUF loader returns for
 *   Q4_0, Q4_1, Q4_K and Q8_0): packed uint32 words with element 0 in the lowest bits,
 *   float16 scales and biases per group of 32, such that `scale * q + bias` per group is the
 *   block's value (exactly for Q4_0/Q4_1/Q8_0; for Q4_K the scales are rounded to float16,
 *   as MLX rounds them).
 * Each type describes a block as integers q with a float32 scale and offset per group:
 * value = fround(scale * q), plus `+ offset` rounded again for the types that have one: GGUF's
 * own formula for every type here (skipping the addition keeps gguf's -0 where d * q is -0).
 */
import { float16Bits, float16Value } from '../half.js';

export interface QuantFormat {
  name: string;
  /** Elements and bytes per block; a row's length must be a multiple of blockElems. */
  blockElems: number;
  blockBytes: number;
  /** Elements sharing one scale/offset. */
  groupElems: number;
  /** Whether values add a per-group offset (a min) after scaling. */
  offsets: boolean;
  /** Fills scale and offset (blockElems / groupElems each) for the block at `off`. */
  params(src: Uint8Array, off: number, scale: Float32Array, offset: Float32Array): void;
  /** Fills q (blockElems integers) for the block at `off`. */
  values(src: Uint8Array, off: number, q: Int16Array): void;
  /**
   * MLX's triplet, for the types MLX loads quantized: `bits` per weight, `zero` added to q to
   * make it unsigned, and `pack` writing the block's blockElems * bits / 8 packed bytes
   * (element 0 in the lowest bits) straight from the block's bytes.
   */
  triplet?: { bits: 4 | 8; zero: number; pack(src: Uint8Array, off: number, dst: Uint8Array, at: number): void };
}

const f16At = (src: Uint8Array, off: number): number => float16Value(src[off]! | (src[off + 1]! << 8));
const fround = Math.fround;

/**
 * Q4_0 and Q4_1 hold 32 nibbles in 16 bytes: element j in the low nibble of byte j, element
 * j + 16 in its high nibble.
 */
function nibbles32(src: Uint8Array, off: number, q: Int16Array, minus: number): void {
  for (let j = 0; j < 16; j++) {
    const b = src[off + j]!;
    q[j] = (b & 0x0f) - minus;
    q[j + 16] = (b >> 4) - minus;
  }
}

/** The same 32 nibbles packed two per byte in element order (packed byte k = e[2k] | e[2k+1] << 4). */
function packNibbles32(src: Uint8Array, off: number, dst: Uint8Array, at: number): void {
  for (let k = 0; k < 8; k++) {
    const a = src[off + 2 * k]!;
    const b = src[off + 2 * k + 1]!;
    dst[at + k] = (a & 0x0f) | ((b & 0x0f) << 4);
    dst[at + k + 8] = (a >> 4) | (b & 0xf0);
  }
}

/** Block: float16 d, 16 bytes of nibbles; value = d * (nibble - 8). */
const q4_0: QuantFormat = {
  name: 'Q4_0', blockElems: 32, blockBytes: 18, groupElems: 32, offsets: false,
  params(src, off, scale) {
    scale[0] = f16At(src, off);
  },
  values: (src, off, q) => nibbles32(src, off + 2, q, 8),
  triplet: { bits: 4, zero: 8, pack: (src, off, dst, at) => packNibbles32(src, off + 2, dst, at) },
};

/** Block: float16 d, float16 m, 16 bytes of nibbles; value = d * nibble + m. */
const q4_1: QuantFormat = {
  name: 'Q4_1', blockElems: 32, blockBytes: 20, groupElems: 32, offsets: true,
  params(src, off, scale, offset) {
    scale[0] = f16At(src, off);
    offset[0] = f16At(src, off + 2);
  },
  values: (src, off, q) => nibbles32(src, off + 4, q, 0),
  triplet: { bits: 4, zero: 0, pack: (src, off, dst, at) => packNibbles32(src, off + 4, dst, at) },
};

/** Block: float16 d, 32 int8; value = d * q. MLX stores q + 128, i.e. the byte with its top bit flipped. */
const q8_0: QuantFormat = {
  name: 'Q8_0', blockElems: 32, blockBytes: 34, groupElems: 32, offsets: false,
  params(src, off, scale) {
    scale[0] = f16At(src, off);
  },
  values(src, off, q) {
    for (let j = 0; j < 32; j++) q[j] = (src[off + 2 + j]! << 24) >> 24;
  },
  triplet: {
    bits: 8, zero: 128,
    pack(src, off, dst, at) {
      for (let j = 0; j < 32; j++) dst[at + j] = src[off + 2 + j]! ^ 0x80;
    },
  },
};

/**
 * Q4_K super-block of 256: float16 d, float16 dmin, 12 bytes holding eight 6-bit (scale, min)
 * pairs, 128 bytes of nibbles. Sub-block j (32 elements) has value = d*sc_j * q - dmin*m_j.
 * Each 32-byte run of nibbles holds two sub-blocks: low nibbles first, then high nibbles.
 */
const q4_k: QuantFormat = {
  name: 'Q4_K', blockElems: 256, blockBytes: 144, groupElems: 32, offsets: true,
  params(src, off, scale, offset) {
    const d = f16At(src, off);
    const dmin = f16At(src, off + 2);
    const s = off + 4;
    for (let j = 0; j < 8; j++) {
      let sc: number;
      let m: number;
      if (j < 4) {
        sc = src[s + j]! & 63;
        m = src[s + j + 4]! & 63;
      } else {
        sc = (src[s + j + 4]! & 0x0f) | ((src[s + j - 4]! >> 6) << 4);
        m = (src[s + j + 4]! >> 4) | ((src[s + j]! >> 6) << 4);
      }
      scale[j] = fround(d * sc);
      offset[j] = -fround(dmin * m);
    }
  },
  values(src, off, q) {
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        const b = src[off + 16 + 32 * c + l]!;
        q[64 * c + l] = b & 0x0f;
        q[64 * c + 32 + l] = b >> 4;
      }
    }
  },
  triplet: {
    bits: 4, zero: 0,
    pack(src, off, dst, at) {
      for (let c = 0; c < 4; c++) {
        const run = off + 16 + 32 * c;
        for (let k = 0; k < 16; k++) {
          const a = src[run + 2 * k]!;
          const b = src[run + 2 * k + 1]!;
          dst[at + 32 * c + k] = (a & 0x0f) | ((b & 0x0f) << 4);
          dst[at + 32 * c + 16 + k] = (a >> 4) | (b & 0xf0);
        }
      }
    },
  },
};

/**
 * Q2_K super-block of 256: 16 bytes of 4-bit (scale, min) pairs, 64 bytes of 2-bit values,
 * float16 d, float16 dmin. Group g (16 elements): value = d*(sc_g & 15) * q - dmin*(sc_g >> 4).
 * Each 32-byte run of qs holds 128 elements: 2-bit field k of byte l is element 32k + l.
 */
const q2_k: QuantFormat = {
  name: 'Q2_K', blockElems: 256, blockBytes: 84, groupElems: 16, offsets: true,
  params(src, off, scale, offset) {
    const d = f16At(src, off + 80);
    const dmin = f16At(src, off + 82);
    for (let g = 0; g < 16; g++) {
      const sc = src[off + g]!;
      scale[g] = fround(d * (sc & 0x0f));
      offset[g] = -fround(dmin * (sc >> 4));
    }
  },
  values(src, off, q) {
    for (let half = 0; half < 2; half++) {
      for (let k = 0; k < 4; k++) {
        for (let l = 0; l < 32; l++) q[128 * half + 32 * k + l] = (src[off + 16 + 32 * half + l]! >> (2 * k)) & 3;
      }
    }
  },
};

/**
 * Q6_K super-block of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, 16 int8
 * scales, float16 d. Group g (16 elements): value = d*sc_g * (q - 32), q a 6-bit integer.
 * Per half (128 elements): element 32k + l takes its low nibble from ql[l + 32*(k&1)] (low
 * nibble for k < 2, high for k >= 2) and its high bits from bits 2k..2k+1 of qh[l].
 */
const q6_k: QuantFormat = {
  name: 'Q6_K', blockElems: 256, blockBytes: 210, groupElems: 16, offsets: false,
  params(src, off, scale) {
    const d = f16At(src, off + 208);
    for (let g = 0; g < 16; g++) scale[g] = fround(d * ((src[off + 192 + g]! << 24) >> 24));
  },
  values(src, off, q) {
    for (let half = 0; half < 2; half++) {
      const ql = off + 64 * half;
      const qh = off + 128 + 32 * half;
      for (let k = 0; k < 4; k++) {
        for (let l = 0; l < 32; l++) {
          const lo = (src[ql + l + 32 * (k & 1)]! >> (k < 2 ? 0 : 4)) & 0x0f;
          const hi = (src[qh + l]! >> (2 * k)) & 3;
          q[128 * half + 32 * k + l] = (lo | (hi << 4)) - 32;
        }
      }
    }
  },
};

/** Block-quantized tensor types by GGUF tensor type number. */
export const quantFormats: ReadonlyMap<number, QuantFormat> = new Map([
  [2, q4_0], [3, q4_1], [8, q8_0], [10, q2_k], [12, q4_k], [14, q6_k],
]);

/** GGUF's float32 values of `count` quantized elements stored from src[start] (count a multiple of blockElems). */
export function dequantizeBlocks(src: Uint8Array, start: number, count: number, fmt: QuantFormat): Float32Array {
  const out = new Float32Array(count);
  const { blockElems, groupElems } = fmt;
  const groups = blockElems / groupElems;
  const q = new Int16Array(blockElems);
  const scale = new Float32Array(groups);
  const offset = new Float32Array(groups);
  for (let b = 0, o = 0; o < count; b++) {
    const off = start + b * fmt.blockBytes;
    fmt.params(src, off, scale, offset);
    fmt.values(src, off, q);
    for (let g = 0, i = 0; g < groups; g++) {
      const s = scale[g]!;
      // Storing into a Float32Array rounds to float32: one rounding per operation, as in gguf.
      if (fmt.offsets) {
        const m = offset[g]!;
        for (let e = 0; e < groupElems; e++, i++, o++) out[o] = fround(s * q[i]!) + m;
      } else {
        for (let e = 0; e < groupElems; e++, i++, o++) out[o] = s * q[i]!;
      }
    }
  }
  return out;
}

export interface PackedTriplet {
  /** uint32 words, `bits` per element, element 0 in the lowest bits (bytes, little-endian). */
  weights: Uint8Array;
  /** float16 bits per group of 32 elements, little-endian. */
  scales: Uint8Array;
  biases: Uint8Array;
}

/** MLX's (weights, scales, biases) for `count` quantized elements of a format with a triplet. */
export function quantizedTriplet(src: Uint8Array, start: number, count: number, fmt: QuantFormat): PackedTriplet {
  const { bits, zero, pack } = fmt.triplet!;
  const weights = new Uint8Array((count * bits) / 8);
  const groups = fmt.blockElems / 32; // every triplet type has groups of 32
  const scales = new Uint8Array((count / 32) * 2);
  const biases = new Uint8Array((count / 32) * 2);
  const scale = new Float32Array(groups);
  const offset = new Float32Array(groups);
  const packedBytes = (fmt.blockElems * bits) / 8;
  const blocks = count / fmt.blockElems;
  for (let b = 0; b < blocks; b++) {
    const off = start + b * fmt.blockBytes;
    fmt.params(src, off, scale, offset);
    for (let k = 0, g = b * groups; k < groups; k++, g++) {
      const s = float16Bits(scale[k]!);
      // MLX computes the bias in float16 (-8 * d for Q4_0, -128 * d for Q8_0): round once, as it does.
      const z = float16Bits((fmt.offsets ? offset[k]! : 0) - zero * float16Value(s));
      scales[2 * g] = s & 0xff;
      scales[2 * g + 1] = s >> 8;
      biases[2 * g] = z & 0xff;
      biases[2 * g + 1] = z >> 8;
    }
    pack(src, off, weights, b * packedBytes);
  }
  return { weights, scales, biases };
}

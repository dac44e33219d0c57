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
  /** Elements sharing one scale/offset in `decode`. */
  groupElems: number;
  /** MLX's quantized triplet: bits per weight and the amount added to q to make it unsigned; bits 0 = no triplet in MLX. */
  bits: 0 | 4 | 8;
  zero: number;
  /** Whether values add a per-group offset (a min) after scaling. */
  offsets: boolean;
  /** Fills q (blockElems), scale and offset (blockElems / groupElems) for the block at `off`. */
  decode(src: Uint8Array, off: number, q: Int16Array, scale: Float32Array, offset: Float32Array): void;
}

const f16At = (src: Uint8Array, off: number): number => float16Value(src[off]! | (src[off + 1]! << 8));
const fround = Math.fround;

/** Q4_0 and Q4_1 store 32 nibbles in 16 bytes: element j in the low nibble of byte j, element j + 16 in its high nibble. */
function nibbles32(src: Uint8Array, off: number, q: Int16Array, qOff: number, minus: number): void {
  for (let j = 0; j < 16; j++) {
    const b = src[off + j]!;
    q[qOff + j] = (b & 0x0f) - minus;
    q[qOff + j + 16] = (b >> 4) - minus;
  }
}

/** Block: float16 d, 16 bytes of nibbles; value = d * (nibble - 8). */
const q4_0: QuantFormat = {
  name: 'Q4_0', blockElems: 32, blockBytes: 18, groupElems: 32, bits: 4, zero: 8, offsets: false,
  decode(src, off, q, scale, offset) {
    scale[0] = f16At(src, off);
    offset[0] = 0;
    nibbles32(src, off + 2, q, 0, 8);
  },
};

/** Block: float16 d, float16 m, 16 bytes of nibbles; value = d * nibble + m. */
const q4_1: QuantFormat = {
  name: 'Q4_1', blockElems: 32, blockBytes: 20, groupElems: 32, bits: 4, zero: 0, offsets: true,
  decode(src, off, q, scale, offset) {
    scale[0] = f16At(src, off);
    offset[0] = f16At(src, off + 2);
    nibbles32(src, off + 4, q, 0, 0);
  },
};

/** Block: float16 d, 32 int8; value = d * q. */
const q8_0: QuantFormat = {
  name: 'Q8_0', blockElems: 32, blockBytes: 34, groupElems: 32, bits: 8, zero: 128, offsets: false,
  decode(src, off, q, scale, offset) {
    scale[0] = f16At(src, off);
    offset[0] = 0;
    for (let j = 0; j < 32; j++) q[j] = (src[off + 2 + j]! << 24) >> 24;
  },
};

/**
 * Q4_K super-block of 256: float16 d, float16 dmin, 12 bytes holding eight 6-bit (scale, min)
 * pairs, 128 bytes of nibbles. Sub-block j (32 elements) has value = d*sc_j * q - dmin*m_j.
 * Each 32-byte run of nibbles holds two sub-blocks: low nibbles first, then high nibbles.
 */
const q4_k: QuantFormat = {
  name: 'Q4_K', blockElems: 256, blockBytes: 144, groupElems: 32, bits: 4, zero: 0, offsets: true,
  decode(src, off, q, scale, offset) {
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
    const qs = off + 16;
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        const b = src[qs + 32 * c + l]!;
        q[64 * c + l] = b & 0x0f;
        q[64 * c + 32 + l] = b >> 4;
      }
    }
  },
};

/**
 * Q2_K super-block of 256: 16 bytes of 4-bit (scale, min) pairs, 64 bytes of 2-bit values,
 * float16 d, float16 dmin. Group g (16 elements): value = d*(sc_g & 15) * q - dmin*(sc_g >> 4).
 * Each 32-byte run of qs holds 128 elements: 2-bit field k of byte l is element 32k + l.
 */
const q2_k: QuantFormat = {
  name: 'Q2_K', blockElems: 256, blockBytes: 84, groupElems: 16, bits: 0, zero: 0, offsets: true,
  decode(src, off, q, scale, offset) {
    const d = f16At(src, off + 80);
    const dmin = f16At(src, off + 82);
    for (let g = 0; g < 16; g++) {
      const sc = src[off + g]!;
      scale[g] = fround(d * (sc & 0x0f));
      offset[g] = -fround(dmin * (sc >> 4));
    }
    const qs = off + 16;
    for (let half = 0; half < 2; half++) {
      for (let k = 0; k < 4; k++) {
        for (let l = 0; l < 32; l++) q[128 * half + 32 * k + l] = (src[qs + 32 * half + l]! >> (2 * k)) & 3;
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
  name: 'Q6_K', blockElems: 256, blockBytes: 210, groupElems: 16, bits: 0, zero: 0, offsets: false,
  decode(src, off, q, scale, offset) {
    const d = f16At(src, off + 208);
    for (let g = 0; g < 16; g++) {
      scale[g] = fround(d * ((src[off + 192 + g]! << 24) >> 24));
      offset[g] = 0;
    }
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

/** Walks the blocks of `count` elements stored at src[start...], giving each decoded block. */
function forEachBlock(
  src: Uint8Array, start: number, count: number, fmt: QuantFormat,
  visit: (block: number, q: Int16Array, scale: Float32Array, offset: Float32Array) => void,
): void {
  const q = new Int16Array(fmt.blockElems);
  const groups = fmt.blockElems / fmt.groupElems;
  const scale = new Float32Array(groups);
  const offset = new Float32Array(groups);
  const blocks = count / fmt.blockElems;
  for (let b = 0; b < blocks; b++) {
    fmt.decode(src, start + b * fmt.blockBytes, q, scale, offset);
    visit(b, q, scale, offset);
  }
}

/** GGUF's float32 values of `count` quantized elements (count is a multiple of blockElems). */
export function dequantizeBlocks(src: Uint8Array, start: number, count: number, fmt: QuantFormat): Float32Array {
  const out = new Float32Array(count);
  const g = fmt.groupElems;
  forEachBlock(src, start, count, fmt, (b, q, scale, offset) => {
    const base = b * fmt.blockElems;
    for (let i = 0; i < fmt.blockElems; i++) {
      const k = (i / g) | 0;
      const scaled = fround(scale[k]! * q[i]!);
      out[base + i] = fmt.offsets ? fround(scaled + offset[k]!) : scaled;
    }
  });
  return out;
}

export interface PackedTriplet {
  /** uint32 words, `bits` per element, element 0 in the lowest bits (bytes, little-endian). */
  weights: Uint8Array;
  /** float16 bits per group of 32 elements, little-endian. */
  scales: Uint8Array;
  biases: Uint8Array;
}

/** MLX's (weights, scales, biases) for `count` quantized elements of a format with a triplet (bits > 0). */
export function quantizedTriplet(src: Uint8Array, start: number, count: number, fmt: QuantFormat): PackedTriplet {
  const { bits, zero } = fmt;
  const weights = new Uint8Array((count * bits) / 8);
  const groupsPerBlock = fmt.blockElems / 32;
  const scales = new Uint8Array((count / 32) * 2);
  const biases = new Uint8Array((count / 32) * 2);
  const put16 = (dst: Uint8Array, i: number, v: number): void => {
    dst[2 * i] = v & 0xff;
    dst[2 * i + 1] = v >> 8;
  };
  forEachBlock(src, start, count, fmt, (b, q, scale, offset) => {
    for (let k = 0; k < groupsPerBlock; k++) {
      // MLX computes the bias in float16 (-8 * d for Q4_0, -128 * d for Q8_0): round once, as it does.
      const s = scale[k]!;
      put16(scales, b * groupsPerBlock + k, float16Bits(s));
      put16(biases, b * groupsPerBlock + k, float16Bits(offset[k]! - zero * float16Value(float16Bits(s))));
    }
    const base = b * fmt.blockElems;
    if (bits === 8) {
      for (let i = 0; i < fmt.blockElems; i++) weights[base + i] = q[i]! + zero;
    } else {
      const byteBase = base / 2;
      for (let i = 0; i < fmt.blockElems; i += 2) {
        weights[byteBase + i / 2] = (q[i]! + zero) | ((q[i + 1]! + zero) << 4);
      }
    }
  });
  return { weights, scales, biases };
}

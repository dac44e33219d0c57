// Decoding packed affine codes (backend/cpu/quantized.h describes the layout) four lanes at a
// time, for the fast quantized-matmul kernels (quantized_qmv.cpp, quantized_qmm.cpp).
//
// The lanes are GCC/clang vector extensions: clang lowers them to wasm SIMD128 with
// -msimd128, g++ to SSE2 natively, so one source serves both builds. Codes are never shifted
// down to bit 0: a code at bit offset sh of a word is masked in place and converted to float,
// giving code * 2^sh' (sh' = sh, or sh - 16 after one shared 16-bit shift of the word, so the
// value stays below 2^16 and the signed conversion is exact); the 2^-sh' is folded into the
// other factor (x or the scale), which is exact for powers of two. MLX's qmv reads 4-bit
// codes the same way (x pre-divided by 16, 256, 4096).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "vec4.h"

namespace mlx::qdecode {

using namespace lanes;

// Bits 2, 4 and 8 have the fast paths (codes never straddle words); the rest decode one
// code at a time.
inline bool fast_bits(int bits) { return bits == 2 || bits == 4 || bits == 8; }

// Code e of a word (bits wide, at bit offset bits * e): the shift applied to the whole word
// first (0 or 16), the in-place mask after it, and the power of two the masked value carries.
constexpr int pre_shift(int bits, int e) { return bits * e >= 16 ? 16 : 0; }
constexpr uint32_t lane_mask(int bits, int e) {
  return ((1u << bits) - 1u) << (bits * e - pre_shift(bits, e));
}
constexpr float lane_unscale(int bits, int e) { return 1.0f / float(1u << (bits * e - pre_shift(bits, e))); }

// Natural-order decode of one word: codes 4c..4c+3 of w as floats times 2^sh' (chunk c;
// called in loops of constant trip count, which the compilers unroll and fold).
template <int BITS>
inline f32x4 word_chunk(uint32_t w, int c) {
  const int e = 4 * c;
  u32x4 src = {w >> pre_shift(BITS, e), w >> pre_shift(BITS, e + 1), w >> pre_shift(BITS, e + 2),
               w >> pre_shift(BITS, e + 3)};
  u32x4 mask = {lane_mask(BITS, e), lane_mask(BITS, e + 1), lane_mask(BITS, e + 2), lane_mask(BITS, e + 3)};
  return to_float(src & mask);
}
template <int BITS>
inline f32x4 chunk_unscale(int c) {
  const int e = 4 * c;
  return f32x4{lane_unscale(BITS, e), lane_unscale(BITS, e + 1), lane_unscale(BITS, e + 2),
               lane_unscale(BITS, e + 3)};
}

// out[i] = scale * q + bias (two roundings, as MLX's dequantize) for the n codes starting
// at element e0 of a packed row, whose groups of gs have scales s[g] and biases b[g]
// (indexed by e / gs; S converts to float). e0 and n are multiples of the codes per word.
template <int BITS, typename S>
void dequantize_words(const uint32_t* row, int64_t e0, int64_t n, int gs, const S* s, const S* b, float* out) {
  constexpr int PER = 32 / BITS, CHUNKS = PER / 4;
  int64_t e = e0;
  const int64_t end = e0 + n;
  while (e < end) {
    const int64_t g = e / gs, stop = std::min<int64_t>(end, (g + 1) * gs);
    const float sc = static_cast<float>(s[g]), bc = static_cast<float>(b[g]);
    f32x4 sv[CHUNKS];
    for (int c = 0; c < CHUNKS; ++c) sv[c] = chunk_unscale<BITS>(c) * sc;
    const f32x4 bv = splat(bc);
    for (; e < stop; e += PER, out += PER) {
      const uint32_t w = row[e / PER];
      for (int c = 0; c < CHUNKS; ++c) store4(out + 4 * c, word_chunk<BITS>(w, c) * sv[c] + bv);
    }
  }
}

// Any bit width and start: one code at a time through a 64-bit window.
template <typename S>
void dequantize_codes(const uint32_t* row, int64_t e0, int64_t n, int bits, int gs, const S* s, const S* b,
                      float* out) {
  const uint32_t mask = (1u << bits) - 1u;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t e = e0 + i, bit = e * bits;
    uint64_t win = row[bit / 32];
    if (bit % 32 + bits > 32) win |= uint64_t(row[bit / 32 + 1]) << 32;
    const float q = float(uint32_t(win >> (bit % 32)) & mask);
    const int64_t g = e / gs;
    out[i] = q * static_cast<float>(s[g]) + static_cast<float>(b[g]);
  }
}

// Either of the above: the word-wise decoder when the span is word aligned.
template <typename S>
void dequantize_span(const uint32_t* row, int64_t e0, int64_t n, int bits, int gs, const S* s, const S* b,
                     float* out) {
  const int per = 32 / bits;
  if (fast_bits(bits) && e0 % per == 0 && n % per == 0) {
    if (bits == 4) return dequantize_words<4>(row, e0, n, gs, s, b, out);
    if (bits == 8) return dequantize_words<8>(row, e0, n, gs, s, b, out);
    return dequantize_words<2>(row, e0, n, gs, s, b, out);
  }
  dequantize_codes(row, e0, n, bits, gs, s, b, out);
}

}  // namespace mlx::qdecode

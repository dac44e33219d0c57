// Matrix products with a weight matrix that is decoded a few rows at a time, never whole:
// the kernels of the floating-point quantization modes and of gather_qmm. A decoder
// `decode(row, c0, n, out)` writes columns c0 .. c0 + n of stored row `row` as values of
// the compute type C (c0 and n whole groups). Threads split the output.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "backend/cpu/fp_formats.h"
#include "threading/parallel.h"

namespace mlx::qmm_rows {

// out [M, N] = x [M, K] @ W.T, W stored as N rows of K values: blocks of rows are decoded
// per thread and dotted with every row of x.
template <typename C, typename T, typename Decode>
void matmul_t(const C* x, int64_t M, int64_t K, int64_t N, const Decode& decode, T* out) {
  constexpr int64_t kRows = 8;
  const int64_t blocks = (N + kRows - 1) / kRows;
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, M * K * kRows));
  parallel_for(blocks, grain, [&](int64_t b0, int64_t b1) {
    std::vector<C> w(static_cast<size_t>(kRows * K));
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t n0 = blk * kRows, nb = std::min(kRows, N - n0);
      for (int64_t t = 0; t < nb; ++t) decode(n0 + t, 0, K, w.data() + t * K);
      for (int64_t m = 0; m < M; ++m) {
        const C* xr = x + m * K;
        for (int64_t t = 0; t < nb; ++t) {
          const C* wr = w.data() + t * K;
          C acc[4] = {0, 0, 0, 0};  // independent sums the vectoriser can keep in registers
          int64_t k = 0;
          for (; k + 4 <= K; k += 4) {
            for (int j = 0; j < 4; ++j) acc[j] += xr[k + j] * wr[k + j];
          }
          C s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
          for (; k < K; ++k) s += xr[k] * wr[k];
          out[m * N + n0 + t] = T(s);
        }
      }
    }
  });
}

// out [M, N] = x [M, K] @ W, W stored as K rows of N values: threads own runs of output
// column groups (of `gs` columns), decode their slice of one weight row at a time and
// accumulate x[m, k] * row.
template <typename C, typename T, typename Decode>
void matmul_n(const C* x, int64_t M, int64_t K, int64_t N, int gs, const Decode& decode, T* out) {
  const int64_t G = N / gs;
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, M * K * gs));
  parallel_for(G, grain, [&](int64_t g0, int64_t g1) {
    const int64_t c0 = g0 * gs, cols = (g1 - g0) * gs;
    std::vector<C> row(static_cast<size_t>(cols)), acc(static_cast<size_t>(M * cols), C(0));
    for (int64_t k = 0; k < K; ++k) {
      decode(k, c0, cols, row.data());
      for (int64_t m = 0; m < M; ++m) {
        const C a = x[m * K + k];
        C* accr = acc.data() + m * cols;
        for (int64_t j = 0; j < cols; ++j) accr[j] += a * row[j];
      }
    }
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t j = 0; j < cols; ++j) out[m * N + c0 + j] = T(acc[m * cols + j]);
    }
  });
}

// The code of element j of a row stored as one little-endian bit stream of `bits`-wide
// codes in uint32 words (codes may straddle two words).
inline uint32_t code_at(const uint32_t* row, int64_t j, int bits) {
  const int64_t bit = j * bits;
  const int64_t word = bit >> 5;
  const int shift = int(bit & 31);
  uint64_t v = row[word] >> shift;
  if (shift + bits > 32) v |= uint64_t(row[word + 1]) << (32 - shift);
  return uint32_t(v) & (bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u));
}

// Rows of floating-point mode codes (e2m1 for 4 bits, e4m3 for 8) with one uint8 scale
// per group (e4m3 for groups of 16, e8m0 otherwise): value * scale.
template <typename C>
struct FpDecoder {
  const uint32_t* w;
  const uint8_t* s;
  int64_t words, groups;  // per row
  int gs, bits;

  static const float* e4m3_table() {
    static const std::vector<float> t = [] {
      std::vector<float> v(256);
      for (uint32_t c = 0; c < 256; ++c) v[c] = fp_formats::e4m3_value(c);
      return v;
    }();
    return t.data();
  }
  C scale(uint8_t code) const {
    return C(gs == 16 ? e4m3_table()[code] : fp_formats::e8m0_value(code));
  }
  void operator()(int64_t r, int64_t c0, int64_t n, C* out) const {
    const uint32_t* row = w + r * words;
    const uint8_t* sr = s + r * groups;
    const float* f8 = e4m3_table();
    for (int64_t j = 0; j < n; j += gs) {
      const C sc = scale(sr[(c0 + j) / gs]);
      for (int i = 0; i < gs; ++i) {
        uint32_t c = code_at(row, c0 + j + i, bits);
        out[j + i] = C(bits == 4 ? fp_formats::e2m1_value(c) : f8[c]) * sc;
      }
    }
  }
};

// Rows of affine codes with a scale and a bias per group (of dtype T): scale * q + bias.
template <typename C, typename T>
struct AffineDecoder {
  const uint32_t* w;
  const T* s;
  const T* b;
  int64_t words, groups;  // per row
  int gs, bits;

  static C as_c(T v) {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) return C(v);
    else return C(static_cast<float>(v));
  }
  void operator()(int64_t r, int64_t c0, int64_t n, C* out) const {
    const uint32_t* row = w + r * words;
    for (int64_t j = 0; j < n; j += gs) {
      const int64_t g = r * groups + (c0 + j) / gs;
      const C sc = as_c(s[g]), bc = as_c(b[g]);
      for (int i = 0; i < gs; ++i) out[j + i] = sc * C(code_at(row, c0 + j + i, bits)) + bc;
    }
  }
};

}  // namespace mlx::qmm_rows

#include "quantized_qmv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "dtype.h"
#include "quantized_decode.h"
#include "threading/parallel.h"

namespace mlx {

using namespace qdecode;

namespace {

// ---- x @ W.T -------------------------------------------------------------------------
//
// A block of 4 words holds 4 * PER codes. Loaded as one vector, lane j is word j, and
// masking code e of every lane gives the codes PER*j + e (j = 0..3) at once. x is permuted
// to match once per call (xp[4e + j] = x[PER*j + e], times the 2^-sh' of code e), so the
// inner loop is mask, convert, multiply, add with no shuffles. Per group the lanes sum
// x * q; the scale multiplies that sum and the bias multiplies the group's sum of x.

template <int BITS, int LANES = 4>
void permute_x(const float* x, float* xp, int64_t K) {
  constexpr int PER = 32 / BITS;
  for (int64_t blk = 0; blk < K; blk += LANES * PER) {
    for (int e = 0; e < PER; ++e) {
      const float u = lane_unscale(BITS, e);
      for (int j = 0; j < LANES; ++j) xp[blk + LANES * e + j] = x[blk + PER * j + e] * u;
    }
  }
}

// R rows of x (xp: permuted rows, row stride K; xsum: group sums, row stride G) against
// weight rows [n0, n1). R accumulators per code keep every decoded vector in registers.
// Not inlined: with the four R variants inlined into one caller, the wasm module's 4-bit
// decode took ~16 ms CPU where this loop compiled alone (R = 1) took ~6 ms in V8, as natively;
// one small function per variant is the first fix (not yet measured inside the module).
template <int BITS, int R, typename S, typename O>
__attribute__((noinline)) void qmv_t_rows(const float* xp, const float* xsum, const uint32_t* w, const S* s, const S* b, O* out, int64_t N,
                int64_t K, int gs, int64_t n0, int64_t n1) {
  constexpr int PER = 32 / BITS;
  const int64_t words = K * BITS / 32, G = K / gs, blocks = int64_t(gs) * BITS / 128;
  for (int64_t n = n0; n < n1; ++n) {
    const uint32_t* wr = w + n * words;
    const S* sr = s + n * G;
    const S* br = b + n * G;
    f32x4 tot[R];
    float btot[R];
    for (int r = 0; r < R; ++r) tot[r] = splat(0.f), btot[r] = 0.f;
    const float* xg = xp;
    for (int64_t g = 0; g < G; ++g) {
      f32x4 acc[R];
      for (int r = 0; r < R; ++r) acc[r] = splat(0.f);
      for (int64_t blk = 0; blk < blocks; ++blk, wr += 4, xg += 4 * PER) {
        const u32x4 lo = load4(wr), hi = lo >> 16;
        for (int e = 0; e < PER; ++e) {
          const f32x4 c = to_float((pre_shift(BITS, e) ? hi : lo) & splat(lane_mask(BITS, e)));
          for (int r = 0; r < R; ++r) acc[r] += load4(xg + r * K + 4 * e) * c;
        }
      }
      const float sc = static_cast<float>(sr[g]), bc = static_cast<float>(br[g]);
      for (int r = 0; r < R; ++r) {
        tot[r] += acc[r] * sc;
        btot[r] += xsum[r * G + g] * bc;
      }
    }
    for (int r = 0; r < R; ++r) out[r * N + n] = O(hsum(tot[r]) + btot[r]);
  }
}

// The same loop eight lanes wide for x86-64 machines with AVX2 (the native addon is built
// for the x86-64 baseline, SSE2, so this variant is compiled for AVX2 alone and chosen at run
// time): a block is 8 words, x permuted to match (permute_x with 8 lanes), so
// one mask/convert/multiply/add handles 8 codes. Mul and add stay separate (no FMA), as in the
// 4-lane loop. Groups must span whole 8-word blocks.
#if defined(__x86_64__) && !defined(__EMSCRIPTEN__)
#define MLX_QMV_AVX2 1
typedef float f32x8 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));

bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

template <int BITS, int R, typename S, typename O>
__attribute__((noinline, target("avx2"))) void qmv_t_rows8(const float* xp, const float* xsum, const uint32_t* w,
                                                           const S* s, const S* b, O* out, int64_t N, int64_t K,
                                                           int gs, int64_t n0, int64_t n1) {
  constexpr int PER = 32 / BITS;
  const int64_t words = K * BITS / 32, G = K / gs, blocks = int64_t(gs) * BITS / 256;
  for (int64_t n = n0; n < n1; ++n) {
    const uint32_t* wr = w + n * words;
    f32x8 tot[R];
    float btot[R];
    for (int r = 0; r < R; ++r) tot[r] = f32x8{} , btot[r] = 0.f;
    const float* xg = xp;
    for (int64_t g = 0; g < G; ++g) {
      f32x8 acc[R];
      for (int r = 0; r < R; ++r) acc[r] = f32x8{};
      for (int64_t blk = 0; blk < blocks; ++blk, wr += 8, xg += 8 * PER) {
        u32x8 lo;
        std::memcpy(&lo, wr, sizeof lo);
        const u32x8 hi = lo >> 16;
        for (int e = 0; e < PER; ++e) {
          const u32x8 m = (pre_shift(BITS, e) ? hi : lo) & lane_mask(BITS, e);
          const f32x8 c = __builtin_convertvector(reinterpret_cast<const i32x8&>(m), f32x8);
          for (int r = 0; r < R; ++r) {
            f32x8 xv;
            std::memcpy(&xv, xg + r * K + 8 * e, sizeof xv);
            acc[r] += xv * c;
          }
        }
      }
      const float sc = static_cast<float>(s[n * G + g]), bc = static_cast<float>(b[n * G + g]);
      for (int r = 0; r < R; ++r) {
        tot[r] += acc[r] * sc;
        btot[r] += xsum[r * G + g] * bc;
      }
    }
    for (int r = 0; r < R; ++r) {
      const f32x8 t = tot[r];
      const float sum = ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]));
      out[r * N + n] = O(sum + btot[r]);
    }
  }
}
#endif

template <int BITS, typename S, typename O>
void qmv_t_bits(const float* x, const uint32_t* w, const S* s, const S* b, O* out, int64_t M, int64_t N, int64_t K,
                int gs) {
  const int64_t G = K / gs;
#ifdef MLX_QMV_AVX2
  const bool wide = have_avx2() && (int64_t(gs) * BITS) % 256 == 0;
#else
  constexpr bool wide = false;
#endif
  std::vector<float> xp(static_cast<size_t>(M * K)), xsum(static_cast<size_t>(M * G));
  for (int64_t m = 0; m < M; ++m) {
#ifdef MLX_QMV_AVX2
    if (wide) permute_x<BITS, 8>(x + m * K, xp.data() + m * K, K);
    else
#endif
    permute_x<BITS>(x + m * K, xp.data() + m * K, K);
    for (int64_t g = 0; g < G; ++g) {
      float a = 0;
      for (int j = 0; j < gs; ++j) a += x[m * K + g * gs + j];
      xsum[m * G + g] = a;
    }
  }
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, K * M));
  parallel_for(N, grain, [&](int64_t n0, int64_t n1) {
    for (int64_t m = 0; m < M;) {
      const float* xr = xp.data() + m * K;
      const float* xs = xsum.data() + m * G;
      O* o = out + m * N;
#ifdef MLX_QMV_AVX2
      if (wide) {
        switch (std::min<int64_t>(4, M - m)) {
          case 4: qmv_t_rows8<BITS, 4>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 4; break;
          case 3: qmv_t_rows8<BITS, 3>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 3; break;
          case 2: qmv_t_rows8<BITS, 2>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 2; break;
          default: qmv_t_rows8<BITS, 1>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 1; break;
        }
        continue;
      }
#endif
      switch (std::min<int64_t>(4, M - m)) {
        case 4: qmv_t_rows<BITS, 4>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 4; break;
        case 3: qmv_t_rows<BITS, 3>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 3; break;
        case 2: qmv_t_rows<BITS, 2>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 2; break;
        default: qmv_t_rows<BITS, 1>(xr, xs, w, s, b, o, N, K, gs, n0, n1); m += 1; break;
      }
    }
  });
}

// ---- x @ W ---------------------------------------------------------------------------
//
// Threads own runs of whole groups of output columns (with one thread: all of them) and
// sweep the weight rows in order, so each reads its slice of every row contiguously. Each
// word is decoded once (scale * q + bias) and added, times x[m, k], into the float
// accumulators of every row m (acc: [M, N], the caller's, each thread writing its columns).

template <int BITS, typename S>
__attribute__((noinline)) void qmv_n_cols(const float* x, const uint32_t* w, const S* s, const S* b, float* acc, int64_t M, int64_t N,
                int64_t K, int gs, int64_t c0, int64_t c1) {
  constexpr int PER = 32 / BITS, CHUNKS = PER / 4;
  const int64_t words = N / PER, G = N / gs;
  for (int64_t k = 0; k < K; ++k) {
    const uint32_t* wr = w + k * words;
    const S* sr = s + k * G;
    const S* br = b + k * G;
    f32x4 xv[kQmvMaxRows];
    for (int64_t m = 0; m < M; ++m) xv[m] = splat(x[m * K + k]);
    for (int64_t c = c0; c < c1; c += gs) {
      const float sc = static_cast<float>(sr[c / gs]);
      f32x4 sv[CHUNKS];
      for (int ch = 0; ch < CHUNKS; ++ch) sv[ch] = chunk_unscale<BITS>(ch) * sc;
      const f32x4 bv = splat(static_cast<float>(br[c / gs]));
      for (int64_t e = c; e < c + gs; e += PER) {
        const uint32_t wd = wr[e / PER];
        for (int ch = 0; ch < CHUNKS; ++ch) {
          const f32x4 v = word_chunk<BITS>(wd, ch) * sv[ch] + bv;
          for (int64_t m = 0; m < M; ++m) {
            float* a = acc + m * N + e + 4 * ch;
            store4(a, load4(a) + xv[m] * v);
          }
        }
      }
    }
  }
}

template <typename S, typename O>
void qmv_n_impl(const float* x, const uint32_t* w, const S* s, const S* b, O* out, int64_t M, int64_t N, int64_t K,
                int gs, int bits) {
  const int64_t G = N / gs;
  std::vector<float> acc(static_cast<size_t>(M * N), 0.f);
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, M * K * gs));
  parallel_for(G, grain, [&](int64_t g0, int64_t g1) {
    const int64_t c0 = g0 * gs, c1 = g1 * gs;
    if (bits == 4) {
      qmv_n_cols<4>(x, w, s, b, acc.data(), M, N, K, gs, c0, c1);
    } else if (bits == 8) {
      qmv_n_cols<8>(x, w, s, b, acc.data(), M, N, K, gs, c0, c1);
    } else {
      qmv_n_cols<2>(x, w, s, b, acc.data(), M, N, K, gs, c0, c1);
    }
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t j = c0; j < c1; ++j) out[m * N + j] = O(acc[m * N + j]);
    }
  });
}

}  // namespace

bool qmv_supported(int bits, int group_size, bool transpose) {
  if (!fast_bits(bits)) return false;
  return transpose ? (group_size * bits) % 128 == 0 : true;
}

template <typename S, typename O>
void qmv_t(const float* x, const uint32_t* w, const S* s, const S* b, O* out, int64_t M, int64_t N, int64_t K,
           int gs, int bits) {
  if (bits == 4) return qmv_t_bits<4>(x, w, s, b, out, M, N, K, gs);
  if (bits == 8) return qmv_t_bits<8>(x, w, s, b, out, M, N, K, gs);
  qmv_t_bits<2>(x, w, s, b, out, M, N, K, gs);
}

template <typename S, typename O>
void qmv_n(const float* x, const uint32_t* w, const S* s, const S* b, O* out, int64_t M, int64_t N, int64_t K,
           int gs, int bits) {
  qmv_n_impl(x, w, s, b, out, M, N, K, gs, bits);
}

#define MLX_QMV_INSTANTIATE(T)                                                                                   \
  template void qmv_t<T, T>(const float*, const uint32_t*, const T*, const T*, T*, int64_t, int64_t, int64_t, int, \
                            int);                                                                                \
  template void qmv_n<T, T>(const float*, const uint32_t*, const T*, const T*, T*, int64_t, int64_t, int64_t, int, \
                            int);
MLX_QMV_INSTANTIATE(float)
MLX_QMV_INSTANTIATE(float16_t)
MLX_QMV_INSTANTIATE(bfloat16_t)
#undef MLX_QMV_INSTANTIATE

}  // namespace mlx

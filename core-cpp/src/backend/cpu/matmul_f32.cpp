#include "matmul_f32.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "sgemv.h"
#include "threading/parallel.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace mlx {

namespace {

// Register tile: MR rows of A times NR columns of B, kept in MR * NR / 4 SIMD accumulators.
// wasm SIMD128 has no FMA, so every step is a mul and an add. 4 x 8 needs 8 accumulators,
// 2 B vectors, a broadcast and a product temporary; measured in V8 (x86-64), 5 x 8 and
// 6 x 8 ran ~25% slower (the JIT spills), and unrolling k did not help.
constexpr int MR = kSgemmPanelRows;
constexpr int NR = kSgemmPanelCols;
// Cache blocks: a KC x NR panel of B (16 KiB) stays in L1 while the kernel sweeps an
// MC x KC block of A (128 KiB, L2); a KC x NC block of B is packed once per (jc, pc) step.
constexpr int64_t KC = kSgemmDepthBlock;
constexpr int64_t MC = 64;  // a multiple of MR
constexpr int64_t NC = 1024;

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// Packs rows [0, mc) x cols [0, kc) of A into MR-row panels, k-major inside a panel
// (panel[k*MR + r]); rows past mc are zero so the kernel never branches on them.
void pack_a(int64_t mc, int64_t kc, const float* a, int64_t rs, int64_t cs, float* out) {
  for (int64_t i0 = 0; i0 < mc; i0 += MR, out += MR * kc) {
    int rows = int(std::min<int64_t>(MR, mc - i0));
    if (cs <= rs) {
      // Rows are the long stride: read each row along k, write with stride MR.
      for (int r = 0; r < rows; ++r) {
        const float* src = a + (i0 + r) * rs;
        for (int64_t k = 0; k < kc; ++k) out[k * MR + r] = src[k * cs];
      }
    } else {
      // A is transposed in memory: MR consecutive rows sit next to each other.
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = a + k * cs + i0 * rs;
        for (int r = 0; r < rows; ++r) out[k * MR + r] = src[r * rs];
      }
    }
    for (int r = rows; r < MR; ++r)
      for (int64_t k = 0; k < kc; ++k) out[k * MR + r] = 0.0f;
  }
}

// Packs rows [0, kc) x cols [0, nc) of B into NR-column panels (panel[k*NR + j]), zero
// padded past nc.
void pack_b(int64_t kc, int64_t nc, const float* b, int64_t rs, int64_t cs, float* out) {
  for (int64_t j0 = 0; j0 < nc; j0 += NR, out += NR * kc) {
    int cols = int(std::min<int64_t>(NR, nc - j0));
    if (cols == NR && cs == 1) {
      for (int64_t k = 0; k < kc; ++k) std::memcpy(out + k * NR, b + k * rs + j0, NR * sizeof(float));
      continue;
    }
    if (cs <= rs) {
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = b + k * rs + j0 * cs;
        for (int j = 0; j < cols; ++j) out[k * NR + j] = src[j * cs];
      }
    } else {
      // B is transposed in memory: a column of B is contiguous along k.
      for (int j = 0; j < cols; ++j) {
        const float* src = b + (j0 + j) * cs;
        for (int64_t k = 0; k < kc; ++k) out[k * NR + j] = src[k * rs];
      }
    }
    for (int64_t k = 0; k < kc; ++k)
      for (int j = cols; j < NR; ++j) out[k * NR + j] = 0.0f;
  }
}

// Writes (or adds, after the first K block) an MR x NR tile into c, clipped to rows x cols.
inline void store_tile(const float* tile, float* c, int64_t ldc, int rows, int cols, bool accumulate) {
  for (int r = 0; r < rows; ++r) {
    float* cr = c + r * ldc;
    if (accumulate) {
      for (int j = 0; j < cols; ++j) cr[j] += tile[r * NR + j];
    } else {
      for (int j = 0; j < cols; ++j) cr[j] = tile[r * NR + j];
    }
  }
}

#ifdef __wasm_simd128__

// The micro-kernel: kc rank-1 updates of an MR x NR tile held in registers. The loops
// over r have constant trip counts, so clang unrolls them and keeps acc[] in registers.
void micro_kernel(int64_t kc, const float* pa, const float* pb, float* c, int64_t ldc, int rows, int cols,
                  bool accumulate) {
  v128_t acc0[MR], acc1[MR];
  for (int r = 0; r < MR; ++r) acc0[r] = acc1[r] = wasm_f32x4_const_splat(0.0f);
  for (int k = 0; k < int(kc); ++k) {
    v128_t b0 = wasm_v128_load(pb);
    v128_t b1 = wasm_v128_load(pb + 4);
    for (int r = 0; r < MR; ++r) {
      // One broadcast per row of A (a single load32_splat), never a per-lane build.
      v128_t ar = wasm_f32x4_splat(pa[r]);
      acc0[r] = wasm_f32x4_add(acc0[r], wasm_f32x4_mul(ar, b0));
      acc1[r] = wasm_f32x4_add(acc1[r], wasm_f32x4_mul(ar, b1));
    }
    pa += MR;
    pb += NR;
  }
  if (rows == MR && cols == NR) {
    for (int r = 0; r < MR; ++r) {
      float* cr = c + r * ldc;
      if (accumulate) {
        acc0[r] = wasm_f32x4_add(acc0[r], wasm_v128_load(cr));
        acc1[r] = wasm_f32x4_add(acc1[r], wasm_v128_load(cr + 4));
      }
      wasm_v128_store(cr, acc0[r]);
      wasm_v128_store(cr + 4, acc1[r]);
    }
    return;
  }
  alignas(16) float tile[MR * NR];
  for (int r = 0; r < MR; ++r) {
    wasm_v128_store(tile + r * NR, acc0[r]);
    wasm_v128_store(tile + r * NR + 4, acc1[r]);
  }
  store_tile(tile, c, ldc, rows, cols, accumulate);
}

#else

// Portable version for the native build: the same tile in a local array, written so the
// compiler can vectorise the j loops.
void micro_kernel(int64_t kc, const float* pa, const float* pb, float* c, int64_t ldc, int rows, int cols,
                  bool accumulate) {
  float tile[MR * NR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    for (int r = 0; r < MR; ++r) {
      float ar = pa[r];
      for (int j = 0; j < NR; ++j) tile[r * NR + j] += ar * pb[j];
    }
    pa += MR;
    pb += NR;
  }
  store_tile(tile, c, ldc, rows, cols, accumulate);
}

#endif

// Pack buffers, reused across calls so small products allocate nothing. Only the calling
// thread allocates: workers get slices of them. One pair serves every calling thread because
// the core runs on one thread at a time (natively the addon's core lock, in wasm the
// backend's gate around the async-eval thread). Not thread_local: a thread_local with a
// destructor registers a thread-exit hook through libc's pthread keys, which threads the
// wasm host starts (a stand-in pthread struct, no pthread_create) must never reach.
std::vector<float> packed_a, packed_b;

// Below this many multiply-adds a product runs on one thread: waking the pool costs more.
constexpr int64_t kParallelMacs = int64_t(1) << 20;
// Column panels of B packed per chunk when the packing is split over threads.
constexpr int64_t kPackGrain = 16;

// Threads: for each (jc, pc) block the panels of B are packed once (split over threads),
// then the output is cut into tasks of MC rows by a range of NR-column panels; each task
// packs its rows of A into its thread's buffer (through `pack_rows`, so callers such as
// the direct convolution can pack A straight from their own layout) and runs the
// micro-kernel over its tiles. Every output element is accumulated in the same order
// whatever the thread count, so results do not depend on it.
template <typename PackRows, typename PackCols>
void sgemm_impl(int64_t M, int64_t N, int64_t K, const PackRows& pack_rows, const PackCols& pack_cols, float* c,
                int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (int64_t i = 0; i < M; ++i) std::fill(c + i * ldc, c + i * ldc + N, 0.0f);
    return;
  }
  int threads = M * N * K >= kParallelMacs ? threading::usable_threads() : 1;
  int64_t kc_max = std::min(K, KC);
  size_t a_need = size_t(round_up(std::min(M, MC), MR) * kc_max);
  size_t b_need = size_t(round_up(std::min(N, NC), NR) * kc_max);
  if (packed_a.size() < a_need * threads) packed_a.resize(a_need * threads);
  if (packed_b.size() < b_need) packed_b.resize(b_need);
  float* pa_all = packed_a.data();
  float* pb = packed_b.data();

  int64_t row_blocks = (M + MC - 1) / MC;
  for (int64_t jc = 0; jc < N; jc += NC) {
    int64_t nc = std::min(NC, N - jc);
    int64_t panels = (nc + NR - 1) / NR;
    // Enough tasks for every thread: split the columns when there are few row blocks.
    int64_t col_groups = std::min<int64_t>(panels, std::max<int64_t>(1, (2 * threads + row_blocks - 1) / row_blocks));
    for (int64_t pc = 0; pc < K; pc += KC) {
      int64_t kc = std::min(KC, K - pc);
      bool accumulate = pc > 0;
      parallel_for(
          panels, kc * NR * kPackGrain >= 8192 ? kPackGrain : panels,
          [&](int64_t p0, int64_t p1) {
            int64_t j0 = p0 * NR, j1 = std::min(nc, p1 * NR);
            pack_cols(pc, kc, jc + j0, j1 - j0, pb + j0 * kc);
          },
          threads);
      parallel_for(
          row_blocks * col_groups, 1,
          [&](int64_t t0, int64_t t1, int tid) {
            float* pa = pa_all + size_t(tid) * a_need;
            int64_t packed_ic = -1;
            for (int64_t t = t0; t < t1; ++t) {
              int64_t ic = (t / col_groups) * MC, g = t % col_groups;
              int64_t mc = std::min(MC, M - ic);
              if (packed_ic != ic) {
                pack_rows(ic, mc, pc, kc, pa);
                packed_ic = ic;
              }
              int64_t jr0 = panels * g / col_groups * NR, jr1 = std::min(nc, panels * (g + 1) / col_groups * NR);
              for (int64_t jr = jr0; jr < jr1; jr += NR) {
                int cols = int(std::min<int64_t>(NR, nc - jr));
                const float* pbj = pb + jr * kc;
                for (int64_t ir = 0; ir < mc; ir += MR) {
                  int rows = int(std::min<int64_t>(MR, mc - ir));
                  micro_kernel(kc, pa + ir * kc, pbj, c + (ic + ir) * ldc + jc + jr, ldc, rows, cols, accumulate);
                }
              }
            }
          },
          threads);
    }
  }
}

}  // namespace

void sgemm(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
           int64_t b_rs, int64_t b_cs, float* c) {
  if (M <= kSgemvMaxRows && K > 0 && sgemv_supported(b_rs, b_cs)) return sgemv(M, N, K, a, a_rs, a_cs, b, b_rs, b_cs, c, N);
  auto pack_rows = [&](int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
    pack_a(mc, kc, a + i0 * a_rs + k0 * a_cs, a_rs, a_cs, out);
  };
  auto pack_cols = [&](int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
    pack_b(kc, nc, b + k0 * b_rs + j0 * b_cs, b_rs, b_cs, out);
  };
  sgemm_impl(M, N, K, pack_rows, pack_cols, c, N);
}

void sgemm_packed_a(int64_t M, int64_t N, int64_t K, const SgemmAPacker& a, const float* b, int64_t b_rs,
                    int64_t b_cs, float* c, int64_t ldc) {
  auto pack_rows = [&](int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
    a.pack(a.ctx, i0, mc, k0, kc, out);
  };
  auto pack_cols = [&](int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
    pack_b(kc, nc, b + k0 * b_rs + j0 * b_cs, b_rs, b_cs, out);
  };
  sgemm_impl(M, N, K, pack_rows, pack_cols, c, ldc);
}

void sgemm_packed_b(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs,
                    const SgemmBPacker& b, float* c, int64_t ldc) {
  auto pack_rows = [&](int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* out) {
    pack_a(mc, kc, a + i0 * a_rs + k0 * a_cs, a_rs, a_cs, out);
  };
  auto pack_cols = [&](int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
    b.pack(b.ctx, k0, kc, j0, nc, out);
  };
  sgemm_impl(M, N, K, pack_rows, pack_cols, c, ldc);
}

}  // namespace mlx

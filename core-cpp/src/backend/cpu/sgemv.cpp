#include "sgemv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "threading/parallel.h"
#include "vec4.h"

namespace mlx {

namespace {

using namespace lanes;

// Columns per task of the x @ W loop: its M output rows (8 KiB at 4 rows) stay in L1 while
// the loop streams B's rows through them.
constexpr int64_t kColumnChunk = 512;
// Below this many multiply-adds the product runs on one thread.
constexpr int64_t kParallelMacs = int64_t(1) << 18;

// B contiguous along N. Four rows of B per step: c += (a0*b0 + a1*b1) + (a2*b2 + a3*b3),
// so each element of c is loaded and stored once per four rows of B and B is read
// sequentially; a holds the M rows of A contiguous along K (the caller's copy).
template <int M>
void rows_of_b(int64_t K, const float* a, const float* b, int64_t b_rs, float* c, int64_t ldc, int64_t j0,
               int64_t j1) {
  for (int m = 0; m < M; ++m) std::fill(c + m * ldc + j0, c + m * ldc + j1, 0.0f);
  const int64_t jv = j0 + (j1 - j0) / 4 * 4;
  int64_t k = 0;
  for (; k + 4 <= K; k += 4) {
    const float* b0 = b + k * b_rs;
    const float *b1 = b0 + b_rs, *b2 = b1 + b_rs, *b3 = b2 + b_rs;
    f32x4 a0[M], a1[M], a2[M], a3[M];
    for (int m = 0; m < M; ++m) {
      a0[m] = splat(a[m * K + k]), a1[m] = splat(a[m * K + k + 1]);
      a2[m] = splat(a[m * K + k + 2]), a3[m] = splat(a[m * K + k + 3]);
    }
    for (int64_t j = j0; j < jv; j += 4) {
      const f32x4 v0 = load4(b0 + j), v1 = load4(b1 + j), v2 = load4(b2 + j), v3 = load4(b3 + j);
      for (int m = 0; m < M; ++m) {
        float* cp = c + m * ldc + j;
        store4(cp, load4(cp) + ((a0[m] * v0 + a1[m] * v1) + (a2[m] * v2 + a3[m] * v3)));
      }
    }
    for (int64_t j = jv; j < j1; ++j) {
      for (int m = 0; m < M; ++m) {
        const float* am = a + m * K + k;
        c[m * ldc + j] += (am[0] * b0[j] + am[1] * b1[j]) + (am[2] * b2[j] + am[3] * b3[j]);
      }
    }
  }
  for (; k < K; ++k) {
    const float* bk = b + k * b_rs;
    for (int m = 0; m < M; ++m) {
      const float am = a[m * K + k];
      float* cm = c + m * ldc;
      for (int64_t j = j0; j < j1; ++j) cm[j] += am * bk[j];
    }
  }
}

// B contiguous along K: each output is a dot product of a row of A with a row of B's
// memory. Sixteen lanes of partial sums per row of A, added in a fixed tree at the end.
template <int M>
void dots(int64_t K, const float* a, const float* b, int64_t b_cs, float* c, int64_t ldc, int64_t j0, int64_t j1) {
  const int64_t kv = K / 16 * 16;
  for (int64_t j = j0; j < j1; ++j) {
    const float* bj = b + j * b_cs;
    f32x4 s0[M], s1[M], s2[M], s3[M];
    for (int m = 0; m < M; ++m) s0[m] = s1[m] = s2[m] = s3[m] = splat(0.0f);
    for (int64_t k = 0; k < kv; k += 16) {
      const f32x4 v0 = load4(bj + k), v1 = load4(bj + k + 4), v2 = load4(bj + k + 8), v3 = load4(bj + k + 12);
      for (int m = 0; m < M; ++m) {
        const float* am = a + m * K + k;
        s0[m] += load4(am) * v0, s1[m] += load4(am + 4) * v1, s2[m] += load4(am + 8) * v2, s3[m] += load4(am + 12) * v3;
      }
    }
    for (int m = 0; m < M; ++m) {
      const f32x4 s = (s0[m] + s1[m]) + (s2[m] + s3[m]);
      float t = (s[0] + s[1]) + (s[2] + s[3]);
      const float* am = a + m * K;
      for (int64_t k = kv; k < K; ++k) t += am[k] * bj[k];
      c[m * ldc + j] = t;
    }
  }
}

template <int M>
void run(int64_t N, int64_t K, const float* a, const float* b, int64_t b_rs, int64_t b_cs, float* c, int64_t ldc) {
  const bool along_n = b_cs == 1;
  const int64_t chunk = along_n ? kColumnChunk : 16;
  const int64_t tasks = (N + chunk - 1) / chunk;
  const int64_t grain = M * N * K >= kParallelMacs ? 1 : tasks;
  parallel_for(tasks, grain, [&](int64_t t0, int64_t t1) {
    const int64_t j0 = t0 * chunk, j1 = std::min(N, t1 * chunk);
    if (along_n) {
      for (int64_t j = j0; j < j1; j += chunk) rows_of_b<M>(K, a, b, b_rs, c, ldc, j, std::min(j1, j + chunk));
    } else {
      dots<M>(K, a, b, b_cs, c, ldc, j0, j1);
    }
  });
}

// The rows of A, contiguous along K, reused across calls (the core runs on one thread at a
// time; see matmul_f32.cpp's pack buffers).
std::vector<float> a_rows;

}  // namespace

bool sgemv_supported(int64_t b_rs, int64_t b_cs) { return b_cs == 1 || b_rs == 1; }

void sgemv(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
           int64_t b_rs, int64_t b_cs, float* c, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (a_cs != 1 || (M > 1 && a_rs != K)) {
    if (a_rows.size() < size_t(M * K)) a_rows.resize(size_t(M * K));
    for (int64_t m = 0; m < M; ++m)
      for (int64_t k = 0; k < K; ++k) a_rows[size_t(m * K + k)] = a[m * a_rs + k * a_cs];
    a = a_rows.data();
  }
  switch (M) {
    case 1: return run<1>(N, K, a, b, b_rs, b_cs, c, ldc);
    case 2: return run<2>(N, K, a, b, b_rs, b_cs, c, ldc);
    case 3: return run<3>(N, K, a, b, b_rs, b_cs, c, ldc);
    default: return run<4>(N, K, a, b, b_rs, b_cs, c, ldc);
  }
}

}  // namespace mlx

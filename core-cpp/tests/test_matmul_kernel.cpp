// The packed float32 GEMM (kernels/matmul_f32): odd sizes, block-crossing sizes and
// arbitrary operand strides against a float64 reference; and matmul on transposed,
// batched and broadcast views, which must reach it without copies changing the result.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "test_data.h"
#include "backend/cpu/matmul_f32.h"
#include "ops.h"
#include "ops/shape.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

// Runs sgemm with A(i,k) = a[i*ars + k*acs], B(k,j) = b[k*brs + j*bcs] and checks every
// entry against a float64 sum within a float32 rounding bound.
bool gemm_matches(int64_t M, int64_t N, int64_t K, const std::vector<float>& a, int64_t ars, int64_t acs,
                  const std::vector<float>& b, int64_t brs, int64_t bcs) {
  std::vector<float> c(size_t(M * N), -7.0f);
  sgemm(M, N, K, a.data(), ars, acs, b.data(), brs, bcs, c.data());
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double s = 0, m = 0;
      for (int64_t k = 0; k < K; ++k) {
        double p = double(a[size_t(i * ars + k * acs)]) * double(b[size_t(k * brs + j * bcs)]);
        s += p;
        m += std::fabs(p);
      }
      if (!(std::fabs(c[size_t(i * N + j)] - s) <= 4e-7 * double(K + 4) * m + 1e-30)) return false;
    }
  }
  return true;
}

}  // namespace

TEST(sgemm_odd_sizes_and_strides) {
  const int64_t sizes[] = {1, 3, 5, 17, 63, 65, 129};
  uint32_t seed = 1;
  for (int64_t K : {int64_t(1), int64_t(5), int64_t(65), int64_t(129)}) {
    for (int64_t M : sizes) {
      for (int64_t N : sizes) {
        auto a = lcg_values(size_t(M * K), seed++);
        auto b = lcg_values(size_t(K * N), seed++);
        CHECK(gemm_matches(M, N, K, a, K, 1, b, N, 1));  // row-major
        CHECK(gemm_matches(M, N, K, a, 1, M, b, 1, K));  // both stored transposed
      }
    }
  }
}

TEST(sgemm_few_rows_take_the_unpacked_loops) {
  // M <= 4 skips the packing (backend/cpu/sgemv.h): B along N (column chunks of 512, four
  // rows of B per step, tails in j and k) or along K (dot products, 16 lanes and a tail);
  // A strided (copied to rows first); sizes past the threading threshold.
  uint32_t seed = 100;
  for (int64_t M : {1, 2, 3, 4}) {
    for (int64_t N : {1, 7, 513, 1030}) {
      for (int64_t K : {3, 17, 300}) {
        auto a = lcg_values(size_t(M * K * 2), seed++);
        auto b = lcg_values(size_t(K * N), seed++);
        CHECK(gemm_matches(M, N, K, a, K, 1, b, N, 1));
        CHECK(gemm_matches(M, N, K, a, K, 1, b, 1, K));
        CHECK(gemm_matches(M, N, K, a, 2 * K, 1, b, N, 1));
        CHECK(gemm_matches(M, N, K, a, 1, 2 * M, b, 1, K));
      }
    }
  }
}

TEST(sgemm_crosses_cache_blocks) {
  // Past KC (512), MC (64) and NC (1024), with ragged last blocks.
  auto a = lcg_values(67 * 1030, 5);
  auto b = lcg_values(1030 * 1100, 6);
  CHECK(gemm_matches(67, 1100, 1030, a, 1030, 1, b, 1100, 1));
  auto a2 = lcg_values(130 * 600, 7);  // (the first A is too small for 130 rows of 600)
  CHECK(gemm_matches(130, 9, 600, a2, 600, 1, b, 1, 600));
}

TEST(sgemm_broadcast_and_empty_inner) {
  auto row = lcg_values(17, 9);
  auto b = lcg_values(17 * 5, 10);
  CHECK(gemm_matches(6, 5, 17, row, 0, 1, b, 5, 1));  // every row of A is the same row
  std::vector<float> c(6, 3.0f);
  sgemm(2, 3, 0, row.data(), 0, 1, b.data(), 3, 1, c.data());
  for (float v : c) CHECK_EQ(v, 0.0f);
}

TEST(matmul_float32_views) {
  // Transposed operands, a broadcast batch and a sliced view, against float64 matmul.
  auto av = lcg_values(3 * 17 * 5, 21);
  auto bv = lcg_values(2 * 3 * 17 * 9, 22);
  array a = array::from_vector(av, {3, 17, 5});  // transposed to [3, 5, 17]
  array b = array::from_vector(bv, {2, 3, 9, 17});  // transposed to [2, 3, 17, 9]
  array at = swapaxes(a, 1, 2), bt = swapaxes(b, 2, 3);
  array got = matmul(at, bt);
  array want = matmul(astype(at, Dtype::float64), astype(bt, Dtype::float64));
  CHECK(got.shape() == Shape({2, 3, 5, 9}));
  eval(got);
  eval(want);
  array g = got.converted(Dtype::float64);
  array w = want.converted(Dtype::float64);
  double worst = 0;
  for (size_t i = 0; i < g.size(); ++i) worst = std::max(worst, std::fabs(g.data<double>()[i] - w.data<double>()[i]));
  CHECK(worst < 1e-5);
}

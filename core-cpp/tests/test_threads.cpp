// The thread pool (threading/pool.*, parallel.h) natively: every item of a parallel_for
// runs exactly once, on thread ids below the count, nested calls run inline, the count is
// validated, and the split kernels (GEMM, element-wise, reductions) give bit-identical
// results on 1 and 3 threads.
#include <atomic>
#include <cstdint>
#include <vector>

#include "check.h"
#include "test_data.h"
#include "backend/cpu/matmul_f32.h"
#include "ops.h"
#include "threading/parallel.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

// Restores the thread count a test changed.
struct ThreadCount {
  int saved = threading::num_threads();
  explicit ThreadCount(int n) { threading::set_num_threads(n); }
  ~ThreadCount() { threading::set_num_threads(saved); }
};

std::vector<float> read(const array& x) {
  array c = x;
  eval(c);
  const float* p = c.data<float>();
  return std::vector<float>(p, p + c.size());
}

}  // namespace

TEST(threads_parallel_for_covers_each_item_once) {
  ThreadCount three(3);
  const int64_t n = 100003;
  std::vector<std::atomic<int>> hits(n);
  std::atomic<int> bad_tid{0};
  for (int round = 0; round < 20; ++round) {
    parallel_for(n, 1000, [&](int64_t b, int64_t e, int tid) {
      if (tid < 0 || tid >= 3) bad_tid++;
      for (int64_t i = b; i < e; ++i) hits[size_t(i)]++;
    });
  }
  int wrong = 0;
  for (auto& h : hits) wrong += h.load() != 20;
  CHECK_EQ(wrong, 0);
  CHECK_EQ(bad_tid.load(), 0);
}

TEST(threads_nested_parallel_for_runs_inline) {
  ThreadCount two(2);
  std::atomic<int64_t> total{0};
  parallel_for(64, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      parallel_for(1000, 1, [&](int64_t b2, int64_t e2) { total += e2 - b2; });
    }
  });
  CHECK_EQ(total.load(), int64_t(64 * 1000));
}

TEST(threads_small_work_stays_on_the_caller) {
  ThreadCount two(2);
  int calls = 0, tid_seen = -1;
  parallel_for(100, 1000, [&](int64_t b, int64_t e, int tid) {
    calls++;
    tid_seen = tid;
    CHECK_EQ(b, int64_t(0));
    CHECK_EQ(e, int64_t(100));
  });
  CHECK_EQ(calls, 1);
  CHECK_EQ(tid_seen, 0);
}

TEST(threads_count_is_validated) {
  CHECK_THROWS(threading::set_num_threads(0), "[set_num_threads]");
  CHECK_THROWS(threading::set_num_threads(65), "[set_num_threads]");
}

TEST(threads_kernels_match_on_one_and_three_threads) {
  const int M = 203, K = 311, N = 517;
  std::vector<float> a = lcg_values(size_t(M) * K, 1), b = lcg_values(size_t(K) * N, 2);
  std::vector<float> x = lcg_values(300001, 3), y = lcg_values(300001, 4);
  auto run = [&](int threads) {
    ThreadCount count(threads);
    std::vector<std::vector<float>> out;
    std::vector<float> c(size_t(M) * N);
    sgemm(M, N, K, a.data(), K, 1, b.data(), 1, K, c.data());  // B read transposed
    out.push_back(c);
    array xa = array::from_vector<float>(x, {int32_t(x.size())}), ya = array::from_vector<float>(y, {int32_t(y.size())});
    out.push_back(read(add(xa, ya)));
    out.push_back(read(tanh(xa)));
    out.push_back(read(sum(xa)));
    array m = array::from_vector<float>(std::vector<float>(x.begin(), x.begin() + 300000), {1000, 300});
    out.push_back(read(sum(m, std::vector<int>{1})));
    out.push_back(read(max(m, std::vector<int>{0})));
    return out;
  };
  auto one = run(1), three = run(3);
  CHECK_EQ(one.size(), three.size());
  for (size_t k = 0; k < one.size(); ++k) CHECK(one[k] == three[k]);
}

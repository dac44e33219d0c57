// parallel_strided_loop (kernels/strided_parallel.h) natively on 3 threads: every element
// of a strided layout is visited exactly once with the offsets strided_loop computes, for
// layouts of 2 to 9 axes after collapsing (9 runs on one thread), and runs are split.
#include <atomic>
#include <cstdint>
#include <vector>

#include "check.h"
#include "backend/cpu/strided_parallel.h"

using namespace mlx;

namespace {

struct Threads {
  int saved = threading::num_threads();
  explicit Threads(int n) { threading::set_num_threads(n); }
  ~Threads() { threading::set_num_threads(saved); }
};

// The output row-contiguous; the input a view into a buffer padded by one element along
// every axis (so no axes merge), with the first axis broadcast (stride 0).
void check_layout(const Shape& shape) {
  size_t nd = shape.size();
  Strides out(nd), in(nd);
  int64_t total = 1, in_size = 1;
  for (size_t i = nd; i-- > 0;) {
    out[i] = total;
    in[i] = in_size;
    total *= shape[i];
    in_size *= shape[i] + 1;
  }
  in[0] = 0;
  // A smaller grain than a run: several chunks even for small shapes.
  std::vector<std::atomic<int>> hits(static_cast<size_t>(total));
  std::vector<int64_t> in_at(static_cast<size_t>(total), -1);
  std::vector<int64_t> ref_in(static_cast<size_t>(total), -1);
  strided_loop<2>(shape, {in, out}, [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
    for (int64_t i = 0; i < n; ++i) ref_in[size_t(o[1] + i * st[1])] = o[0] + i * st[0];
  });
  parallel_strided_loop<2>(shape, {in, out}, 4,
                           [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                             for (int64_t i = 0; i < n; ++i) {
                               size_t k = size_t(o[1] + i * st[1]);
                               hits[k]++;
                               in_at[k] = o[0] + i * st[0];
                             }
                           });
  int wrong = 0;
  for (size_t k = 0; k < hits.size(); ++k) wrong += hits[k].load() != 1 || in_at[k] != ref_in[k] || in_at[k] < 0 || in_at[k] >= in_size;
  CHECK_EQ(wrong, 0);
}

}  // namespace

TEST(strided_parallel_visits_each_element_once_with_strided_loop_offsets) {
  Threads three(3);
  check_layout({37, 29});
  check_layout({5, 7, 11});
  check_layout({3, 2, 5, 3, 4});
  check_layout({2, 3, 2, 3, 2, 3, 2, 5});
  check_layout({2, 2, 3, 2, 2, 3, 2, 2, 3});  // more axes than the stack index holds
}

TEST(strided_parallel_splits_runs_over_threads) {
  Threads two(2);
  std::atomic<int> used[2] = {0, 0};
  Shape shape{4096, 64};
  Strides row{64, 1}, bcast{0, 1};
  for (int round = 0; round < 50 && !(used[0] && used[1]); ++round) {
    parallel_strided_loop<2>(shape, {row, bcast}, 1024,
                             [&](const std::array<int64_t, 2>&, int64_t, const std::array<int64_t, 2>&) {
                               used[threading::current_tid() == 0 ? 0 : 1] = 1;
                               // Some work per run, so that the worker wakes before the
                               // caller has taken every chunk.
                               for (volatile int k = 0; k < 200; k = k + 1) {
                               }
                             });
  }
  CHECK(used[0].load() == 1);
  CHECK(used[1].load() == 1);
}

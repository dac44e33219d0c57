// The reductions that large inputs split over the thread pool: the whole of a contiguous
// array, the rows of a row-contiguous one (trailing axes reduced) and its columns (leading
// axes reduced). Each path computes the same way on any number of threads, so results do
// not depend on the thread count.
#pragma once

#include <algorithm>
#include <vector>

#include "array.h"
#include "threading/parallel.h"
#include "dispatch.h"

namespace mlx {

// Inputs smaller than this reduce in the general loop on the calling thread.
constexpr int64_t kReduceSplitMin = int64_t(1) << 17;
// Elements per block of a whole-array reduction: blocks are reduced independently (in
// parallel) and their results combined in block order.
constexpr int64_t kReduceBlock = int64_t(1) << 15;

// One unit-stride run reduced with eight independent partial results: the chains overlap in
// the CPU (and vectorise) instead of waiting on one accumulator. The split paths and the
// general loop (reduce.cpp) both use it.
template <typename In, typename R, typename Acc>
Acc reduce_run(const In* s, int64_t n) {
  Acc v = R::init();
  Acc part[8];
  for (auto& p : part) p = R::init();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) part[k] = R::combine(part[k], convert<Acc>(s[i + k]));
  for (; i < n; ++i) v = R::combine(v, convert<Acc>(s[i]));
  for (auto& p : part) v = R::combine(v, p);
  return v;
}

// Fills acc (out.size() values, initialised here) and returns true when one of the split
// paths applies; false leaves everything to the general loop.
template <typename In, typename R, typename Acc>
bool reduce_split(const array& in, const array& out, const std::vector<int>& axes, Acc* acc) {
  int64_t n = int64_t(in.size());
  if (n < kReduceSplitMin || axes.empty()) return false;
  int nd = in.ndim();
  const In* src = in.data<In>();
  if (int64_t(out.size()) == 1 && in.flags().contiguous && int64_t(in.data_size()) == n) {
    int64_t blocks = (n + kReduceBlock - 1) / kReduceBlock;
    std::vector<Acc> partial(size_t(blocks), R::init());  // allocated here, by the caller
    parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        int64_t lo = b * kReduceBlock;
        partial[size_t(b)] = reduce_run<In, R, Acc>(src + lo, std::min(kReduceBlock, n - lo));
      }
    });
    Acc v = R::init();
    for (Acc p : partial) v = R::combine(v, p);
    acc[0] = v;
    return true;
  }
  if (!in.flags().row_contiguous) return false;
  std::vector<int> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  int k = int(sorted.size());
  bool trailing = sorted.front() == nd - k && sorted.back() == nd - 1;
  bool leading = sorted.front() == 0 && sorted.back() == k - 1;
  int64_t inner = 1;
  for (int ax = nd - k; ax < nd; ++ax) inner *= in.shape(ax);
  if (trailing) {
    // Rows of `len` contiguous elements, one output each.
    int64_t len = inner, rows = int64_t(out.size());
    if (rows < 2 || len == 0) return false;
    parallel_for(rows, std::max<int64_t>(1, kReduceBlock / len), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) acc[r] = reduce_run<In, R, Acc>(src + r * len, len);
    });
    return true;
  }
  if (leading) {
    // Columns: out[c] folds in[r * cols + c] over r in order; threads own column ranges.
    int64_t cols = int64_t(out.size());
    if (cols < 16 || cols == 0) return false;
    int64_t rows = n / cols;
    parallel_for(cols, std::max<int64_t>(16, kReduceBlock / std::max<int64_t>(rows, 1)), [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; ++c) acc[c] = R::init();
      for (int64_t r = 0; r < rows; ++r) {
        const In* row = src + r * cols;
        for (int64_t c = c0; c < c1; ++c) acc[c] = R::combine(acc[c], convert<Acc>(row[c]));
      }
    });
    return true;
  }
  return false;
}

}  // namespace mlx

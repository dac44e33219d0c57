// strided_loop with the innermost runs spread over the thread pool: the element-wise
// kernels' path for broadcasts that are not one value (x [m, n] + row [n]), transposed
// views and other strided operands, which would otherwise run on one thread.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "threading/parallel.h"
#include "iterate.h"

namespace mlx {

// Calls inner(offsets, n, inner_strides) for every innermost run, as strided_loop does,
// with the runs split by their outer index into chunks of at least `grain` elements.
// `inner` runs concurrently on disjoint runs: it must only write its own run's elements.
template <size_t N, typename F>
void parallel_strided_loop(Shape shape, std::array<Strides, N> strides, int64_t grain, F&& inner) {
  for (auto d : shape) {
    if (d == 0) return;
  }
  collapse_axes(shape, strides);
  // Up to this many axes after collapsing the index of a chunk's first run lives on the
  // stack (chunks must not allocate); more is rare enough for one thread.
  constexpr int kMaxAxes = 8;
  const int nd = static_cast<int>(shape.size());
  if (nd < 2 || nd > kMaxAxes) {
    strided_loop<N>(std::move(shape), std::move(strides), inner);
    return;
  }
  const int64_t n = shape[nd - 1];
  int64_t rows = 1;
  for (int ax = 0; ax + 1 < nd; ++ax) rows *= shape[ax];
  std::array<int64_t, N> inner_strides{};
  for (size_t k = 0; k < N; ++k) inner_strides[k] = strides[k][nd - 1];
  parallel_for(rows, std::max<int64_t>(1, grain / n), [&](int64_t r0, int64_t r1) {
    // The outer index of run r0 and the operands' offsets there.
    std::array<int64_t, kMaxAxes> idx{};
    std::array<int64_t, N> offs{};
    int64_t r = r0;
    for (int ax = nd - 2; ax >= 0; --ax) {
      idx[ax] = r % shape[ax];
      r /= shape[ax];
      for (size_t k = 0; k < N; ++k) offs[k] += idx[ax] * strides[k][ax];
    }
    for (int64_t row = r0; row < r1; ++row) {
      inner(offs, n, inner_strides);
      // Next run: advance the outer index like an odometer.
      for (int ax = nd - 2; ax >= 0; --ax) {
        for (size_t k = 0; k < N; ++k) offs[k] += strides[k][ax];
        if (++idx[ax] < shape[ax]) break;
        for (size_t k = 0; k < N; ++k) offs[k] -= strides[k][ax] * shape[ax];
        idx[ax] = 0;
      }
    }
  });
}

}  // namespace mlx

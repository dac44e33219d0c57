// parallel_for: the one way kernels use threads. Small work and a pool of one thread run
// the function inline on the caller, so kernels call it unconditionally.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "pool.h"

namespace mlx {

// Elements per chunk for element-wise kernels: below two chunks' worth an op runs on the
// calling thread (waking a worker costs about as much as 64K additions).
constexpr int64_t kElementwiseGrain = int64_t(1) << 16;

// Calls f(begin, end) or f(begin, end, tid) over chunks covering [0, n), each at least
// `grain` items (the last may be shorter), spread over the pool's threads. `tid` (0 for the
// calling thread) indexes per-thread buffers the caller allocated for usable_threads()
// threads (pass that count as `max_threads`: a worker may start meanwhile; 0: no cap).
// Chunks run concurrently: f must only write what its range owns, must not allocate and
// must not throw.
template <typename F>
void parallel_for(int64_t n, int64_t grain, F&& f, int max_threads = 0) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  int threads = (n > grain && threading::current_tid() == 0) ? threading::usable_threads() : 1;
  if (max_threads > 0) threads = std::min(threads, max_threads);
  auto call = [&](int64_t b, int64_t e, int tid) {
    if constexpr (std::is_invocable_v<F&, int64_t, int64_t, int>) {
      f(b, e, tid);
    } else {
      (void)tid;
      f(b, e);
    }
  };
  if (threads <= 1) {
    call(0, n, threading::current_tid());
    return;
  }
  // About four chunks per thread: a thread slowed down by other work on the machine
  // leaves its share to the others.
  int64_t chunk = std::max<int64_t>(grain, (n + 4 * threads - 1) / (4 * threads));
  using Call = decltype(call);
  threading::run(n, chunk, [](void* ctx, int64_t b, int64_t e, int tid) { (*static_cast<Call*>(ctx))(b, e, tid); },
                 &call, threads);
}

}  // namespace mlx

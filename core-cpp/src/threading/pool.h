// The thread pool behind parallel_for: the calling thread plus up to kMaxThreads - 1
// workers. Natively the workers are std::threads started on demand; in the wasm threads
// build they are Web Workers (Node worker_threads) that the host starts, each running
// mlxc_worker_main on the same shared memory. Either way a worker only runs chunks handed
// to it by parallel_for: it never allocates, and chunk functions must not throw.
#pragma once

#include <cstdint>

namespace mlx::threading {

// Threads (the caller included) the pool can use at most.
constexpr int kMaxThreads = 64;

// Runs items [begin, end) on thread `tid` (0: the calling thread; 1..: workers).
using ChunkFn = void (*)(void* ctx, int64_t begin, int64_t end, int tid);

// Threads parallel_for uses (>= 1). Default: min(hardware threads, 4) natively, 1 in wasm
// until the host has started workers.
int num_threads();
// Sets it; throws std::invalid_argument outside [1, kMaxThreads]. Natively this starts the
// missing workers; in wasm the host starts them (mlxc_worker_prepare/mlxc_worker_main) and
// only the workers that are running take part.
void set_num_threads(int n);
// Workers running now (native: started; wasm: entered mlxc_worker_main).
int running_workers();
// Threads the next parallel region can really use: min(num_threads(), 1 + running workers).
int usable_threads();

// Splits [0, n) into chunks of `chunk` items and runs them on the calling thread and the
// workers (at most `threads` in all, the caller included); returns when all are done.
void run(int64_t n, int64_t chunk, ChunkFn fn, void* ctx, int threads);

// The id of the thread running this code: 0 outside the pool's workers.
int current_tid();

// Wasm threads build: the host's side of starting worker `id` (0-based). prepare (on the
// main thread) allocates the worker's stack and thread-local block and returns the stack's
// top and limit; worker_main (on the worker, after the host set its stack pointer to that
// top) runs the worker's loop and never returns.
void prepare_worker(int id, uint32_t* stack_top, uint32_t* stack_limit);
void worker_main(int id);

}  // namespace mlx::threading

#include "pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

#include "host_thread.h"

#if defined(__EMSCRIPTEN_PTHREADS__)
#define MLX_WASM_THREADS 1
#elif !defined(__EMSCRIPTEN__)
#include <condition_variable>
#include <mutex>
#include <thread>
#define MLX_NATIVE_THREADS 1
#endif

namespace mlx::threading {

namespace {

// One cache line per worker: the words the caller and the worker exchange.
struct alignas(64) Slot {
  std::atomic<int32_t> wake{0};     // bumped by the caller to hand the worker a job (the futex word)
  std::atomic<int32_t> ack{0};      // the last job the worker has finished with
  std::atomic<int32_t> running{0};  // 1 once the worker waits for jobs
  int32_t woken = 0;                // the last job the caller handed it (caller-only)
  bool started = false;             // native: its std::thread exists
  HostThread host;                  // wasm: its stack and thread-local block
};

// The job of the current parallel region. The caller writes it only when every worker it
// handed the previous job has acknowledged that job, so a worker never reads a half-written one.
struct Job {
  ChunkFn fn = nullptr;
  void* ctx = nullptr;
  int64_t n = 0, chunk = 1, nchunks = 0;
  std::atomic<int64_t> next{0};  // the next chunk to claim
  std::atomic<int64_t> done{0};  // chunks finished
};

// Constant-initialised (no constructor runs), so a wasm worker instance, which never runs
// static constructors, sees the same object as the main thread.
struct Pool {
  Slot slots[kMaxThreads - 1];
  Job job;
  int32_t generation = 0;
  std::atomic<int32_t> requested{0};  // 0: not set yet (default applies)
  bool busy = false;                  // the caller is inside run()
};
Pool g_pool;

thread_local int t_tid = 0;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Blocks while `word` holds `expected` (spurious returns are fine: callers loop).
#if defined(MLX_WASM_THREADS)
void wait_word(std::atomic<int32_t>& word, int32_t expected) {
  __builtin_wasm_memory_atomic_wait32(reinterpret_cast<int32_t*>(&word), expected, -1);
}
void wake_word(std::atomic<int32_t>& word) {
  __builtin_wasm_memory_atomic_notify(reinterpret_cast<int32_t*>(&word), 1);
}
#elif defined(MLX_NATIVE_THREADS)
// One mutex and condition variable for every word: the waiter checks the word under the
// lock and the waker takes the lock after its store, so no wake-up is lost.
std::mutex& wait_mutex() {
  static std::mutex* m = new std::mutex();  // never destroyed: workers outlive static destructors
  return *m;
}
std::condition_variable& wait_cv() {
  static std::condition_variable* cv = new std::condition_variable();
  return *cv;
}
void wait_word(std::atomic<int32_t>& word, int32_t expected) {
  std::unique_lock<std::mutex> lock(wait_mutex());
  wait_cv().wait(lock, [&] { return word.load(std::memory_order_acquire) != expected; });
}
void wake_word(std::atomic<int32_t>&) {
  { std::lock_guard<std::mutex> lock(wait_mutex()); }
  wait_cv().notify_all();
}
#else
void wait_word(std::atomic<int32_t>&, int32_t) {}
void wake_word(std::atomic<int32_t>&) {}
#endif

int default_threads() {
#if defined(MLX_NATIVE_THREADS)
  unsigned hw = std::thread::hardware_concurrency();
  return int(std::clamp<unsigned>(hw == 0 ? 1 : hw, 1, 4));
#else
  return 1;  // wasm: the host sets the count once its workers exist
#endif
}

// Claims and runs chunks of the current job until none is left.
void run_chunks(int tid) {
  Job& j = g_pool.job;
  for (;;) {
    int64_t c = j.next.fetch_add(1, std::memory_order_acq_rel);
    if (c >= j.nchunks) return;
    int64_t b = c * j.chunk;
    j.fn(j.ctx, b, std::min(j.n, b + j.chunk), tid);
    j.done.fetch_add(1, std::memory_order_acq_rel);
  }
}

// Spins a while before sleeping: back-to-back parallel regions (an op after an op) then
// find the worker awake.
constexpr int kSpinsBeforeWait = 20000;

[[noreturn]] [[maybe_unused]] void worker_loop(int id) noexcept {
  Slot& s = g_pool.slots[id];
  t_tid = id + 1;
  int32_t seen = s.wake.load(std::memory_order_acquire);
  s.ack.store(seen, std::memory_order_release);
  s.running.store(1, std::memory_order_release);
  for (;;) {
    int spins = 0;
    int32_t g;
    while ((g = s.wake.load(std::memory_order_acquire)) == seen) {
      if (++spins < kSpinsBeforeWait) {
        cpu_relax();
      } else {
        wait_word(s.wake, seen);
        spins = 0;
      }
    }
    seen = g;
    run_chunks(id + 1);
    s.ack.store(seen, std::memory_order_release);
  }
}

#if defined(MLX_NATIVE_THREADS)
void start_native_workers(int threads) {
  for (int id = 0; id < threads - 1; ++id) {
    Slot& s = g_pool.slots[id];
    if (s.running.load(std::memory_order_acquire) || s.started) continue;
    s.started = true;  // the flag `running` follows once the thread is up
    std::thread([id] { worker_loop(id); }).detach();
  }
}
#endif

}  // namespace

int num_threads() {
  int r = g_pool.requested.load(std::memory_order_relaxed);
  return r > 0 ? r : default_threads();
}

void set_num_threads(int n) {
  if (n < 1 || n > kMaxThreads) {
    throw std::invalid_argument("[set_num_threads] The thread count must be between 1 and " +
                                std::to_string(kMaxThreads) + ", got " + std::to_string(n) + ".");
  }
  g_pool.requested.store(n, std::memory_order_relaxed);
#if defined(MLX_NATIVE_THREADS)
  start_native_workers(n);
#endif
}

int running_workers() {
  int count = 0;
  for (const Slot& s : g_pool.slots) count += s.running.load(std::memory_order_acquire);
  return count;
}

int usable_threads() {
  int want = num_threads();
#if defined(MLX_NATIVE_THREADS)
  if (want > 1) start_native_workers(want);
#endif
  int threads = 1;
  for (int id = 0; id < want - 1; ++id) threads += g_pool.slots[id].running.load(std::memory_order_acquire);
  return threads;
}

int current_tid() { return t_tid; }

void run(int64_t n, int64_t chunk, ChunkFn fn, void* ctx, int threads) {
  Pool& p = g_pool;
  if (n <= 0) return;
  if (threads <= 1 || p.busy || t_tid != 0) {
    fn(ctx, 0, n, t_tid);
    return;
  }
  p.busy = true;
  // Workers handed the previous job may still be on their way out of it.
  for (Slot& s : p.slots) {
    while (s.ack.load(std::memory_order_acquire) != s.woken) cpu_relax();
  }
  Job& j = p.job;
  j.fn = fn;
  j.ctx = ctx;
  j.n = n;
  j.chunk = chunk;
  j.nchunks = (n + chunk - 1) / chunk;
  j.next.store(0, std::memory_order_relaxed);
  j.done.store(0, std::memory_order_relaxed);
  int32_t gen = ++p.generation;
  int helpers = 0;
  for (int id = 0; id < kMaxThreads - 1 && helpers < threads - 1; ++id) {
    Slot& s = p.slots[id];
    if (!s.running.load(std::memory_order_acquire)) continue;
    s.woken = gen;
    s.wake.store(gen, std::memory_order_release);
    wake_word(s.wake);
    ++helpers;
  }
  std::exception_ptr error;
  try {
    run_chunks(0);
  } catch (...) {
    // Stop handing out chunks, count the unclaimed ones as done, and wait for the chunks
    // workers are running (they use the caller's stack) before rethrowing.
    error = std::current_exception();
    int64_t claimed = j.next.exchange(j.nchunks, std::memory_order_acq_rel);
    if (claimed < j.nchunks) j.done.fetch_add(j.nchunks - claimed, std::memory_order_acq_rel);
  }
  // The caller never sleeps here: a browser's main thread cannot block.
  while (j.done.load(std::memory_order_acquire) < j.nchunks) cpu_relax();
  p.busy = false;
  if (error) std::rethrow_exception(error);
}

void prepare_worker(int id, uint32_t* stack_top, uint32_t* stack_limit) {
  if (id < 0 || id >= kMaxThreads - 1) {
    throw std::invalid_argument("[threads] Worker id " + std::to_string(id) + " is out of range.");
  }
  constexpr size_t kStack = 1 << 20;  // kernels need little; a stack overflow would corrupt memory
  HostThread& t = g_pool.slots[id].host;
  allocate_host_thread(t, kStack, Identity::kStandIn);
  *stack_top = t.stack_top;
  *stack_limit = t.stack_limit;
}

void worker_main(int id) {
#if defined(MLX_WASM_THREADS)
  if (id < 0 || id >= kMaxThreads - 1 || g_pool.slots[id].host.stack_top == 0) return;
  // This instance shares memory with the main one but has its own globals: thread-local
  // storage, the thread pointer and the stack limits start unset.
  enter_host_thread(g_pool.slots[id].host);
  worker_loop(id);
#else
  (void)id;
#endif
}

}  // namespace mlx::threading

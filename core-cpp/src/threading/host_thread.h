// A thread the host starts in the wasm threads build: a Web Worker (Node: worker_threads)
// that instantiates the module on the main thread's shared memory. The main thread
// allocates its stack, thread-local block and a stand-in pthread struct (the instance's own
// globals start unset); the thread then enters it before running any core code. The pool's
// workers and the async-eval thread are both such threads. Other builds have none.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mlx::threading {

struct HostThread {
  uint32_t stack_top = 0, stack_limit = 0;  // 0: not allocated yet
  void* tls = nullptr;                      // the thread's thread-local block
  void* self = nullptr;                     // a zeroed stand-in for its pthread struct
};

// How a host thread appears to libc (pthread_self(): thread-specific data, locale, thread id).
enum class Identity {
  // A zeroed stand-in pthread struct: for the pool's workers, which run only kernel chunks
  // and never reach libc's thread machinery (no locks by owner, no pthread keys).
  kStandIn,
  // The main thread's own pthread struct: for the async-eval thread, which runs all of the
  // core (allocations, exceptions, static initialisers, pthread keys) but only while the
  // main thread stays out of it, so the core keeps one libc identity, as if one thread ran it.
  kMain,
};

// On the main thread: allocates `t` once (later calls keep it). Throws std::bad_alloc when
// memory runs out, std::invalid_argument in builds without host threads.
void allocate_host_thread(HostThread& t, size_t stack_bytes, Identity identity);

// On the new thread, after the host set its stack pointer to t.stack_top: initialises its
// thread-local storage, thread pointer and stack limits.
void enter_host_thread(const HostThread& t);

}  // namespace mlx::threading

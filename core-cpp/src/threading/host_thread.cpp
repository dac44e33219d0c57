#include "host_thread.h"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <stdexcept>

#if defined(__EMSCRIPTEN_PTHREADS__)
#include <emscripten/stack.h>
#include <pthread.h>
extern "C" void __wasm_init_tls(void* block);
extern "C" void _emscripten_thread_init(void* self, int is_main, int is_runtime, int can_block, int profile);
#endif

namespace mlx::threading {

void allocate_host_thread(HostThread& t, size_t stack_bytes, Identity identity) {
#if defined(__EMSCRIPTEN_PTHREADS__)
  if (t.stack_top != 0) return;
  char* stack = static_cast<char*>(std::aligned_alloc(16, stack_bytes));
  size_t tls_size = __builtin_wasm_tls_size();
  size_t tls_align = std::max<size_t>(__builtin_wasm_tls_align(), sizeof(void*));
  void* tls = tls_size ? std::aligned_alloc(tls_align, (tls_size + tls_align - 1) / tls_align * tls_align) : nullptr;
  bool stand_in = identity == Identity::kStandIn;
  void* self = stand_in ? std::calloc(1, 1024) : reinterpret_cast<void*>(pthread_self());
  if (!stack || (tls_size && !tls) || !self) {
    std::free(stack);
    std::free(tls);
    if (stand_in) std::free(self);
    throw std::bad_alloc();
  }
  t.stack_limit = uint32_t(reinterpret_cast<uintptr_t>(stack));
  t.stack_top = uint32_t(reinterpret_cast<uintptr_t>(stack + stack_bytes));
  t.tls = tls;
  t.self = self;
#else
  (void)t;
  (void)stack_bytes;
  (void)identity;
  throw std::invalid_argument("[threads] This build has no host-started threads.");
#endif
}

void enter_host_thread(const HostThread& t) {
#if defined(__EMSCRIPTEN_PTHREADS__)
  if (t.tls) __wasm_init_tls(t.tls);
  _emscripten_thread_init(t.self, 0, 0, 1, 0);
  emscripten_stack_set_limits(reinterpret_cast<void*>(uintptr_t(t.stack_top)),
                              reinterpret_cast<void*>(uintptr_t(t.stack_limit)));
#else
  (void)t;
#endif
}

}  // namespace mlx::threading

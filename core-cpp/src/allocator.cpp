#include "allocator.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "device_hooks.h"

namespace mlx::allocator {

namespace {

// The header in front of every buffer keeps its requested size; 16 bytes keeps the
// payload aligned for SIMD loads.
constexpr size_t header = 16;
constexpr size_t page = 16384;

#if defined(__wasm__)
// wasm32 can address 4 GiB at most; leave room for the rest of the program.
constexpr size_t default_limit = size_t(3) << 30;
#else
constexpr size_t default_limit = size_t(16) << 30;
#endif

struct State {
  std::mutex mutex;
  size_t active = 0;
  size_t peak = 0;
  size_t cached = 0;
  size_t limit = default_limit;
  size_t cache_limit = size_t(64) << 20;
  // Freed buffers keyed by their requested size.
  std::multimap<size_t, void*> cache;
};

State& state() {
  static State* s = new State();  // never destroyed: buffers may be freed at exit
  return *s;
}

size_t& size_ref(void* ptr) { return *reinterpret_cast<size_t*>(static_cast<char*>(ptr) - header); }

std::string mb(size_t bytes) { return std::to_string(bytes) + " bytes"; }

void release_cache_locked(State& s, size_t target) {
  auto it = s.cache.begin();
  while (s.cached > target && it != s.cache.end()) {
    s.cached -= it->first;
    device_hooks::raw_free(static_cast<char*>(it->second) - header);
    it = s.cache.erase(it);
  }
}

// wasm memory only grows: a page the heap has touched stays with the process. A cached
// buffer is reused only for a request of about its size, so with sizes that vary the cache
// fills with buffers nobody asks for again, each pinning its piece of the heap, and a new
// buffer that fits in none of the remaining free space grows the heap. Measured on a workload
// of mixed sizes (peak 127 MB active, 64 MB cache limit): memory grew to 286 MB, and to
// 145 MB with no cache. So on a cache miss for a large buffer, cached buffers are first given
// back to malloc: the smallest one big enough for the request (malloc splits it), else the
// largest ones until as many bytes as requested are free. Small requests never pay for this:
// they cannot grow the heap much, and they are where the cache's hits matter.
#if defined(__wasm__)
constexpr size_t kRoomFrom = size_t(64) << 10;

void make_room_locked(State& s, size_t size) {
  if (s.cached == 0 || size < kRoomFrom) return;
  auto give_back = [&](std::multimap<size_t, void*>::iterator it) {
    s.cached -= it->first;
    device_hooks::raw_free(static_cast<char*>(it->second) - header);
    return it->first;
  };
  auto big = s.cache.lower_bound(size);
  if (big != s.cache.end()) {
    give_back(big);
    s.cache.erase(big);
    return;
  }
  size_t freed = 0;
  while (freed < size && !s.cache.empty()) {
    auto it = std::prev(s.cache.end());
    freed += give_back(it);
    s.cache.erase(it);
  }
}
#else
void make_room_locked(State&, size_t) {}
#endif

}  // namespace

void* malloc(size_t size) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (size > s.limit || s.active + size > s.limit || size > SIZE_MAX - header) {
    throw std::runtime_error("[malloc] Attempting to allocate " + mb(size) +
                             " which would exceed the memory limit of " + mb(s.limit) +
                             " (" + mb(s.active) + " in use).");
  }
  // Reuse a cached buffer that is big enough but not wastefully so.
  size_t most = std::min(2 * size, size + 2 * page);
  auto it = s.cache.lower_bound(size);
  if (it != s.cache.end() && it->first <= most) {
    void* p = it->second;
    s.cached -= it->first;
    s.cache.erase(it);
    size_ref(p) = size;
    // The cached buffer may be larger than requested; account for the request only.
    s.active += size;
    s.peak = std::max(s.peak, s.active);
    return p;
  }
  make_room_locked(s, size);
  // Buffers keep their original capacity in the header word after the size.
  void* raw = device_hooks::raw_malloc(size + header);
  if (!raw && !s.cache.empty()) {
    release_cache_locked(s, 0);
    raw = device_hooks::raw_malloc(size + header);
  }
  if (!raw) {
    throw std::runtime_error("[malloc] Unable to allocate " + mb(size) +
                             ": out of memory (the system, or wasm memory growth, refused).");
  }
  void* p = static_cast<char*>(raw) + header;
  size_ref(p) = size;
  reinterpret_cast<size_t*>(raw)[1] = size;  // capacity
  s.active += size;
  s.peak = std::max(s.peak, s.active);
  return p;
}

size_t buffer_size(void* ptr) { return ptr ? size_ref(ptr) : 0; }

void free(void* ptr) {
  if (!ptr) return;
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  size_t size = size_ref(ptr);
  size_t capacity = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - header)[1];
  s.active -= size;
  // A zero-capacity buffer is never worth keeping: it would hold a cache slot (and its
  // raw allocation) forever while adding nothing to the cached byte count that bounds it.
  if (capacity > 0 && capacity <= s.cache_limit) {
    s.cache.emplace(capacity, ptr);
    s.cached += capacity;
    release_cache_locked(s, s.cache_limit);
  } else {
    device_hooks::raw_free(static_cast<char*>(ptr) - header);
  }
}

size_t active_memory() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().active;
}
size_t peak_memory() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().peak;
}
size_t cache_memory() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().cached;
}
size_t cached_buffers() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().cache.size();
}
size_t memory_limit() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().limit;
}
size_t cache_limit() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().cache_limit;
}
void reset_peak_memory() {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().peak = state().active;
}
void set_memory_limit(size_t bytes) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().limit = bytes == 0 ? default_limit : bytes;
}
void set_cache_limit(size_t bytes) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().cache_limit = bytes;
  release_cache_locked(state(), bytes);
}
void clear_cache() {
  std::lock_guard<std::mutex> lock(state().mutex);
  release_cache_locked(state(), 0);
}

}  // namespace mlx::allocator

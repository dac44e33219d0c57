// The allocator: malloc with a size header, a size-bucketed cache of freed buffers, and
// the counters and limits behind mx.memory().
#pragma once

#include <cstddef>

namespace mlx::allocator {

// Returns a 16-byte-aligned buffer of at least `size` bytes. Throws std::runtime_error
// with a "[malloc] ..." message when the memory limit would be exceeded or the system
// (or wasm memory growth) has no more memory; the allocator stays usable afterwards.
void* malloc(size_t size);
void free(void* ptr);
size_t buffer_size(void* ptr);  // the size requested for ptr

size_t active_memory();  // bytes held by live buffers
size_t peak_memory();
size_t cache_memory();  // bytes held by the cache of freed buffers
size_t cached_buffers();  // how many freed buffers the cache holds
size_t memory_limit();
size_t cache_limit();
void reset_peak_memory();
void set_memory_limit(size_t bytes);  // 0 restores the default
void set_cache_limit(size_t bytes);
void clear_cache();

}  // namespace mlx::allocator

// Where a device backend plugs into the core: the Metal backend of the native addon on
// macOS (src/metal/metal_backend.mm) sets these at load; everywhere else they keep their
// defaults (plain malloc/free, every primitive on the CPU), and nothing else changes.
#pragma once

#include <cstddef>
#include <vector>

namespace mlx {

class array;
class Primitive;

namespace device_hooks {

// The raw memory under the allocator (its cache and accounting stay in allocator.cpp).
// Metal: the contents of shared-storage MTLBuffers, so CPU kernels and GPU kernels read
// and write the same bytes. Must be set before the first allocation.
extern void* (*raw_malloc)(size_t bytes);
extern void (*raw_free)(void* ptr);

// Offered every node before its eval_cpu; returns true when it computed the outputs
// (encoded on the device), false to let the CPU kernel run (it must then make sure any
// device work the CPU kernel reads has completed).
extern bool (*eval)(Primitive& primitive, const std::vector<array>& inputs, std::vector<array>& outputs);

// Called when an eval step ends: waits for the device work encoded so far.
extern void (*synchronize)();

}  // namespace device_hooks
}  // namespace mlx

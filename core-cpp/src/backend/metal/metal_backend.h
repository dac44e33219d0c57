// The Metal backend of the native addon (macOS only; metal_backend.mm). Plain C++ so that
// the binding (packages/backend-native/src/binding.cpp) can call it without Objective-C.
#pragma once

#include <string>

namespace mlx::metal {

// Creates the device, compiles the embedded kernel library and installs the allocator
// hooks (shared-storage MTLBuffers). Returns true, or false with the reason in `why` (no
// Metal device, the library failed to compile). Must run before the core allocates.
bool init(std::string* why);

// Routes evaluation to the GPU (true) or keeps every primitive on the CPU (false, the
// `native` backend); memory stays in MTLBuffers either way. Call between evaluations.
void set_enabled(bool enabled);

// The device's name, e.g. "Apple M2" (empty before init).
std::string device_name();

}  // namespace mlx::metal

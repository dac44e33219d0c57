#include "device_hooks.h"

#include <cstdlib>

namespace mlx::device_hooks {

void* (*raw_malloc)(size_t) = [](size_t bytes) { return std::malloc(bytes); };
void (*raw_free)(void*) = [](void* ptr) { std::free(ptr); };
bool (*eval)(Primitive&, const std::vector<array>&, std::vector<array>&) = nullptr;
void (*synchronize)() = nullptr;

}  // namespace mlx::device_hooks

// Deterministic test inputs: a linear congruential sequence mapped to [-1, 1), every value
// exactly representable in float32 (24 significant bits), so results compare bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

inline std::vector<float> lcg_values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = float(seed >> 8) / float(1 << 24) * 2.0f - 1.0f;
  }
  return v;
}

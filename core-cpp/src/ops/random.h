// mx.random: counter-based random numbers as in MLX. A key is a uint32 array of shape (2);
// the same key gives the same numbers on every backend. Ops that take an optional key use
// the global key sequence when none is given: it is split, its first half becomes the new
// global key and the second is used (MLX's KeySequence::next). The global key starts from
// seed 0, so runs are reproducible until seed() is called.
#pragma once

#include <cstdint>
#include <optional>

#include "array.h"

namespace mlx::random {

using Key = std::optional<array>;

// Sets the global key to key(seed).
void seed(uint64_t s);
// The key (seed >> 32, seed & 0xffffffff).
array key(uint64_t seed);
// The next key of the global sequence (an evaluated uint32 array of shape (2)).
array next_key();
// `num` new keys from `key`: uint32 of shape (num, 2).
array split(const array& key, int num = 2);
// Random bits of `shape`, `width` bytes each (1, 2, 4 or 8: uint8 ... uint64).
array bits(const Shape& shape, int width = 4, const Key& key = std::nullopt);

array uniform(const array& low, const array& high, const Shape& shape, Dtype dtype = Dtype::float32,
              const Key& key = std::nullopt);
// loc and scale are optional (0 and 1).
array normal(const Shape& shape, Dtype dtype, const std::optional<array>& loc, const std::optional<array>& scale,
             const Key& key = std::nullopt);
array randint(const array& low, const array& high, const Shape& shape, Dtype dtype = Dtype::int32,
              const Key& key = std::nullopt);
// Shape defaults to p's.
array bernoulli(const array& p, const std::optional<Shape>& shape, const Key& key = std::nullopt);
// Shape defaults to the broadcast shape of the bounds.
array truncated_normal(const array& lower, const array& upper, const std::optional<Shape>& shape,
                       Dtype dtype = Dtype::float32, const Key& key = std::nullopt);
array gumbel(const Shape& shape, Dtype dtype = Dtype::float32, const Key& key = std::nullopt);
// Samples indices (uint32) along `axis` by the Gumbel-max trick. `shape` is the output
// shape (the logits without `axis` must broadcast to it); num_samples appends an axis.
array categorical(const array& logits, int axis, const std::optional<Shape>& shape,
                  std::optional<int> num_samples, const Key& key = std::nullopt);
// A random permutation of x along axis (of arange(n) for the integer form).
array permutation(const array& x, int axis, const Key& key = std::nullopt);
array permutation(int n, const Key& key = std::nullopt);

}  // namespace mlx::random

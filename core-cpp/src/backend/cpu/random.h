// The random family's kernels: the threefry2x32 counter-based hash (20 rounds, as in
// Random123 and MLX), the bit stream RandomBits fills from a key, and the transforms that
// turn those bits into samples of a distribution.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "array.h"

namespace mlx {

using KeyPair = std::pair<uint32_t, uint32_t>;

// threefry2x32 with 20 rounds: a bijection of the 64-bit counter for each 64-bit key.
KeyPair threefry2x32(KeyPair key, KeyPair counter);

// Fills `n_bytes` bytes at `dst` with the stream of one key. The stream is laid out as
// MLX lays it: for w = ceil(n_bytes / 4) words, counter (i, i + ceil(w / 2)) hashes to
// words i and i + ceil(w / 2); an odd word count takes its middle word from (w / 2, 0).
void random_stream(KeyPair key, uint8_t* dst, size_t n_bytes);

// out (uint8/16/32/64) <- the streams of the keys `key` (uint32, shape K + (2), any
// view): the output splits into as many equal contiguous parts as there are keys, each
// filled with its key's stream (one key: the whole output).
void random_bits_eval(const array& key, array& out);

// The unsigned dtype of `width`-byte bits (1, 2, 4 or 8).
Dtype bits_dtype(int width);

// What a RandomTransform computes from its uint32/uint64 bits (and parameter inputs).
enum class RandomKind {
  Uniform,          // [0, 1), the top mantissa bits of the output dtype
  Normal,           // sqrt(2) * erfinv(2u - 1), u in (0, 1)
  Gumbel,           // -log(-log(u)), u in (0, 1)
  Bernoulli,        // u < p (inputs: bits, p) -> bool
  TruncatedNormal,  // inputs: bits, lower, upper (broadcast), inverse CDF between them
  RandInt,          // inputs: bits, low, high; low + floor(u * (high - low)), exact
  UnitOpen,         // u in (0, 1) (the truncated normal's gradient recovers u with it)
};

// Runs a transform: inputs[0] is the bits, the others are parameter arrays of out's shape
// (broadcast views) in out's dtype (Bernoulli: p in a floating dtype).
void random_transform_eval(RandomKind kind, const std::vector<array>& inputs, array& out);

// The bit width sampled for a float dtype: 8 bytes for float64 (53 bits used), else 4.
int sample_width(Dtype t);

}  // namespace mlx

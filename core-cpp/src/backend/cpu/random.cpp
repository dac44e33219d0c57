#include "random.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "allocator.h"
#include "dispatch.h"
#include "elementwise_ops.h"
#include "iterate.h"

namespace mlx {

KeyPair threefry2x32(KeyPair key, KeyPair ctr) {
  // Rotation constants of threefry2x32 (Salmon et al., "Parallel random numbers: as easy
  // as 1, 2, 3"); the key schedule adds the parity constant 0x1BD11BDA.
  static constexpr uint32_t rot[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  const uint32_t ks[3] = {key.first, key.second, key.first ^ key.second ^ 0x1BD11BDAu};
  uint32_t x0 = ctr.first + ks[0];
  uint32_t x1 = ctr.second + ks[1];
  for (uint32_t group = 0; group < 5; ++group) {  // 5 groups of 4 rounds = 20 rounds
    for (uint32_t r : rot[group % 2]) {
      x0 += x1;
      x1 = (x1 << r) | (x1 >> (32 - r));
      x1 ^= x0;
    }
    x0 += ks[(group + 1) % 3];
    x1 += ks[(group + 2) % 3] + group + 1;
  }
  return {x0, x1};
}

void random_stream(KeyPair key, uint8_t* dst, size_t n_bytes) {
  size_t words = (n_bytes + 3) / 4;
  size_t half = words / 2;
  size_t second = (words + 1) / 2;  // where the second word of each hash goes
  // Whole words go straight to dst; a trailing partial word goes through `last`.
  auto put = [&](size_t w, uint32_t v) {
    size_t at = 4 * w;
    size_t n = n_bytes - at < 4 ? n_bytes - at : 4;
    std::memcpy(dst + at, &v, n);
  };
  for (size_t i = 0; i < half; ++i) {
    KeyPair h = threefry2x32(key, {uint32_t(i), uint32_t(i + second)});
    put(i, h.first);
    put(i + second, h.second);
  }
  if (words % 2 == 1) put(half, threefry2x32(key, {uint32_t(half), 0u}).first);
}

void random_bits_eval(const array& key, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  // The keys may be any view: key i's two words are found from its position in K.
  const uint32_t* k = key.data<uint32_t>();
  const int nd = key.ndim();
  const int64_t step = nd == 0 ? 0 : key.strides(nd - 1);
  const size_t n_keys = key.size() / 2;
  if (n_keys == 0) return;
  const size_t part = out.nbytes() / n_keys;
  for (size_t i = 0; i < n_keys; ++i) {
    int64_t offset = 0;
    size_t rest = i;
    for (int d = nd - 2; d >= 0; --d) {
      offset += int64_t(rest % key.shape(d)) * key.strides(d);
      rest /= key.shape(d);
    }
    random_stream({k[offset], k[offset + step]}, out.data<uint8_t>() + i * part, part);
  }
}

Dtype bits_dtype(int width) {
  switch (width) {
    case 1: return Dtype::uint8;
    case 2: return Dtype::uint16;
    case 8: return Dtype::uint64;
    default: return Dtype::uint32;
  }
}

int sample_width(Dtype t) { return t == Dtype::float64 ? 8 : 4; }

namespace {

// Significant bits of the samples for storage type T: exactly representable in T.
template <typename T>
constexpr int digits() {
  if constexpr (std::is_same_v<T, float16_t>) return 11;
  else if constexpr (std::is_same_v<T, bfloat16_t>) return 8;
  else if constexpr (std::is_same_v<T, double>) return 53;
  else return 24;
}

// The top `d` bits of a B-wide word.
template <typename B>
uint64_t top_bits(B bits, int d) {
  return uint64_t(bits) >> (8 * sizeof(B) - d);
}

// u = m / 2^d in [0, 1): exact in a float with d significant bits.
template <typename B>
double unit_closed_open(B bits, int d) {
  return std::ldexp(double(top_bits(bits, d)), -d);
}
// u = (m + 1/2) / 2^d in (0, 1): never 0 or 1, symmetric about 1/2. At most 52 bits, so
// that m + 1/2 is exact in a double (53 bits could round up to u = 1).
template <typename B>
double unit_open(B bits, int d) {
  d = d > 52 ? 52 : d;
  return std::ldexp(double(top_bits(bits, d)) + 0.5, -d);
}

// erfinv in double: the element-wise family's (Giles' approximation refined by Newton
// steps on erf).
double erfinv(double v) { return ew::ErfInv{}(v); }

const double kSqrt2 = 1.4142135623730951;

// The bits in row order: their own buffer when row-contiguous, else a dense copy in
// `scratch` (vmap broadcasts unbatched bits along the batch axis).
template <typename B>
const B* bits_in_row_order(const array& a, std::vector<B>& scratch) {
  if (a.flags().row_contiguous) return a.data<B>();
  scratch.resize(a.size());
  const B* src = a.data<B>();
  size_t i = 0;
  strided_loop<1>(a.shape(), {a.strides()},
                  [&](const std::array<int64_t, 1>& o, int64_t m, const std::array<int64_t, 1>& st) {
                    for (int64_t j = 0; j < m; ++j) scratch[i++] = src[o[0] + j * st[0]];
                  });
  return scratch.data();
}

// The float transforms: bits (out's shape) to samples of T. Parameter
// inputs are broadcast views of out's shape, read in row order.
template <typename B, typename T>
void transform_kernel(RandomKind kind, const std::vector<array>& in, array& out) {
  constexpr int d = digits<T>();
  std::vector<B> scratch;
  const B* bits = bits_in_row_order(in[0], scratch);
  size_t n = out.size();
  // Parameters: read through their strides into dense double vectors (small cost next to
  // the hashing, and it keeps one loop per kind).
  auto dense = [&](const array& a) {
    std::vector<double> v(n);
    dispatch_all(a.dtype(), [&](auto t) {
      using P = typename decltype(t)::type;
      const P* src = a.data<P>();
      size_t i = 0;
      strided_loop<1>(a.shape(), {a.strides()},
                      [&](const std::array<int64_t, 1>& o, int64_t m, const std::array<int64_t, 1>& st) {
                        for (int64_t j = 0; j < m; ++j) v[i++] = convert<double>(src[o[0] + j * st[0]]);
                      });
    });
    return v;
  };
  switch (kind) {
    case RandomKind::Uniform: {
      T* o = out.data<T>();
      for (size_t i = 0; i < n; ++i) o[i] = convert<T>(unit_closed_open(bits[i], d));
      break;
    }
    case RandomKind::UnitOpen: {
      T* o = out.data<T>();
      for (size_t i = 0; i < n; ++i) o[i] = convert<T>(unit_open(bits[i], d));
      break;
    }
    case RandomKind::Normal: {
      T* o = out.data<T>();
      for (size_t i = 0; i < n; ++i) o[i] = convert<T>(kSqrt2 * erfinv(2 * unit_open(bits[i], d) - 1));
      break;
    }
    case RandomKind::Gumbel: {
      T* o = out.data<T>();
      for (size_t i = 0; i < n; ++i) o[i] = convert<T>(-std::log(-std::log(unit_open(bits[i], d))));
      break;
    }
    case RandomKind::Bernoulli: {
      // 24 bits of u against p: p = 0 never fires, p = 1 always does.
      bool* o = out.data<bool>();
      auto p = dense(in[1]);
      for (size_t i = 0; i < n; ++i) o[i] = unit_closed_open(bits[i], 24) < p[i];
      break;
    }
    case RandomKind::TruncatedNormal: {
      T* o = out.data<T>();
      auto lo = dense(in[1]), hi = dense(in[2]);
      for (size_t i = 0; i < n; ++i) {
        double a = std::erf(lo[i] / kSqrt2), b = std::erf(hi[i] / kSqrt2);
        double z = kSqrt2 * erfinv(a + (b - a) * unit_open(bits[i], d));
        // Rounding near the tails may step outside: clamp into the bounds.
        z = z < lo[i] ? lo[i] : (z > hi[i] ? hi[i] : z);
        o[i] = convert<T>(z);
      }
      break;
    }
    case RandomKind::RandInt:
      break;  // integer outputs: see randint_kernel
  }
}

// low + floor(u * (high - low)) with u = bits / 2^width, computed exactly: (bits * range)
// >> width. An empty range (high <= low) gives low.
template <typename B, typename T>
void randint_kernel(const std::vector<array>& in, array& out) {
  std::vector<B> scratch;
  const B* bits = bits_in_row_order(in[0], scratch);
  T* o = out.data<T>();
  const array& lo = in[1];
  const array& hi = in[2];
  const T* pl = lo.data<T>();
  const T* ph = hi.data<T>();
  size_t i = 0;
  strided_loop<2>(out.shape(), {lo.strides(), hi.strides()},
                  [&](const std::array<int64_t, 2>& off, int64_t m, const std::array<int64_t, 2>& st) {
                    for (int64_t j = 0; j < m; ++j, ++i) {
                      __int128 l = static_cast<__int128>(pl[off[0] + j * st[0]]);
                      __int128 h = static_cast<__int128>(ph[off[1] + j * st[1]]);
                      __int128 range = h > l ? h - l : 0;
                      unsigned __int128 pick = (static_cast<unsigned __int128>(bits[i]) *
                                                static_cast<unsigned __int128>(range)) >> (8 * sizeof(B));
                      o[i] = static_cast<T>(l + static_cast<__int128>(pick));
                    }
                  });
}

}  // namespace

void random_transform_eval(RandomKind kind, const std::vector<array>& inputs, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  Dtype bt = inputs[0].dtype();
  auto with_bits = [&](auto f) {
    if (bt == Dtype::uint64) f(type_tag<uint64_t>{});
    else f(type_tag<uint32_t>{});
  };
  if (kind == RandomKind::RandInt) {
    with_bits([&](auto b) {
      using B = typename decltype(b)::type;
      dispatch_all(out.dtype(), [&](auto t) {
        using T = typename decltype(t)::type;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          randint_kernel<B, T>(inputs, out);
        } else {
          throw std::invalid_argument("[randint] Expected an integer dtype.");
        }
      });
    });
    return;
  }
  if (kind == RandomKind::Bernoulli) {
    with_bits([&](auto b) { transform_kernel<typename decltype(b)::type, float>(kind, inputs, out); });
    return;
  }
  with_bits([&](auto b) {
    using B = typename decltype(b)::type;
    dispatch_floating(out.dtype(), "random", [&](auto t) {
      transform_kernel<B, typename decltype(t)::type>(kind, inputs, out);
    });
  });
}

}  // namespace mlx

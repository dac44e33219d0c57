// C ABI registrations of mx.random. Every op whose key is optional takes it as its LAST
// array input when given (the op's arity is then -1); without it the global key sequence
// is split and advanced.
#include <cmath>
#include <stdexcept>

#include "../ops.h"
#include "ops/random.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

namespace rnd = mlx::random;

// The key: inputs[n] when present, else none. More inputs than that is an error.
rnd::Key key_at(const Arrays& in, size_t n, const char* op) {
  if (in.size() > n + 1) {
    throw std::invalid_argument(std::string("[") + op + "] Too many array inputs.");
  }
  if (in.size() == n + 1) return in[n];
  return std::nullopt;
}

void need(const Arrays& in, size_t n, const char* op) {
  if (in.size() < n) throw std::invalid_argument(std::string("[") + op + "] Missing array inputs.");
}

// Seeds are integers in [0, 2^64) passed as a double (exact up to 2^53).
uint64_t seed_of(double s, const char* op) {
  if (!(s >= 0) || std::floor(s) != s || s >= 18446744073709551616.0) {
    throw std::invalid_argument(std::string("[") + op + "] The seed must be a non-negative integer.");
  }
  return static_cast<uint64_t>(s);
}

std::optional<Shape> optional_shape(Params& p) {
  auto s = p.axes();
  if (!s) return std::nullopt;
  return Shape(s->begin(), s->end());
}

const OpList random_ops{
    // random_seed: real seed. No outputs.
    {"random_seed", 0, [](const Arrays&, Params& p) -> Arrays {
       rnd::seed(seed_of(p.real(), "seed"));
       return {};
     }},
    // random_key: real seed
    {"random_key", 0, [](const Arrays&, Params& p) -> Arrays { return {rnd::key(seed_of(p.real(), "key"))}; }},
    // random_split: inputs key; int num
    {"random_split", 1, [](const Arrays& in, Params& p) -> Arrays { return {rnd::split(in[0], p.int_())}; }},
    // random_bits: inputs [key]; shape list, int width
    {"random_bits", -1, [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints();
       int width = p.int_();
       return {rnd::bits(s, width, key_at(in, 0, "bits"))};
     }},
    // random_uniform: inputs low, high, [key]; shape list, dtype
    {"random_uniform", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "uniform");
       Shape s = p.ints();
       Dtype t = p.dtype();
       return {rnd::uniform(in[0], in[1], s, t, key_at(in, 2, "uniform"))};
     }},
    // random_normal: inputs [loc] [scale] [key]; shape list, dtype, flag has_loc, flag has_scale
    {"random_normal", -1, [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints();
       Dtype t = p.dtype();
       bool has_loc = p.flag(), has_scale = p.flag();
       size_t n = size_t(has_loc) + size_t(has_scale);
       need(in, n, "normal");
       std::optional<array> loc, scale;
       if (has_loc) loc = in[0];
       if (has_scale) scale = in[has_loc ? 1 : 0];
       return {rnd::normal(s, t, loc, scale, key_at(in, n, "normal"))};
     }},
    // random_randint: inputs low, high, [key]; shape list, dtype
    {"random_randint", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "randint");
       Shape s = p.ints();
       Dtype t = p.dtype();
       return {rnd::randint(in[0], in[1], s, t, key_at(in, 2, "randint"))};
     }},
    // random_bernoulli: inputs p, [key]; optional shape list (-1: p's shape)
    {"random_bernoulli", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "bernoulli");
       auto s = optional_shape(p);
       return {rnd::bernoulli(in[0], s, key_at(in, 1, "bernoulli"))};
     }},
    // random_truncated_normal: inputs lower, upper, [key]; optional shape list, dtype
    {"random_truncated_normal", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "truncated_normal");
       auto s = optional_shape(p);
       Dtype t = p.dtype();
       return {rnd::truncated_normal(in[0], in[1], s, t, key_at(in, 2, "truncated_normal"))};
     }},
    // random_gumbel: inputs [key]; shape list, dtype
    {"random_gumbel", -1, [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints();
       Dtype t = p.dtype();
       return {rnd::gumbel(s, t, key_at(in, 0, "gumbel"))};
     }},
    // random_categorical: inputs logits, [key]; int axis, optional shape list, int
    // num_samples (-1: not given)
    {"random_categorical", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "categorical");
       int axis = p.int_();
       auto s = optional_shape(p);
       int ns = p.int_();
       std::optional<int> num;
       if (ns >= 0) num = ns;
       return {rnd::categorical(in[0], axis, s, num, key_at(in, 1, "categorical"))};
     }},
    // random_permutation: inputs x, [key]; int axis
    {"random_permutation", -1, [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "permutation");
       return {rnd::permutation(in[0], p.int_(), key_at(in, 1, "permutation"))};
     }},
    // random_permutation_n: inputs [key]; int n
    {"random_permutation_n", -1, [](const Arrays& in, Params& p) -> Arrays {
       return {rnd::permutation(p.int_(), key_at(in, 0, "permutation"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

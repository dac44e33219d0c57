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

const OpList random_ops{
    // random_seed: no outputs
    {"random_seed", 0, "seed:real", [](const Arrays&, Params& p) -> Arrays {
       rnd::seed(seed_of(p.real("seed"), "seed"));
       return {};
     }},
    {"random_key", 0, "seed:real", [](const Arrays&, Params& p) -> Arrays {
       return {rnd::key(seed_of(p.real("seed"), "key"))};
     }},
    // random_split: inputs key
    {"random_split", 1, "num:int", [](const Arrays& in, Params& p) -> Arrays { return {rnd::split(in[0], p.int_("num"))}; }},
    // random_bits: inputs [key]
    {"random_bits", -1, "shape:int[] width:int", [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints("shape");
       int width = p.int_("width");
       return {rnd::bits(s, width, key_at(in, 0, "bits"))};
     }},
    // random_uniform: inputs low, high, [key]
    {"random_uniform", -1, "shape:int[] dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "uniform");
       Shape s = p.ints("shape");
       Dtype t = p.dtype("dtype");
       return {rnd::uniform(in[0], in[1], s, t, key_at(in, 2, "uniform"))};
     }},
    // random_normal: inputs [loc] [scale] [key] (loc and scale when their flag is set)
    {"random_normal", -1, "shape:int[] dtype:dtype has_loc:bool has_scale:bool", [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints("shape");
       Dtype t = p.dtype("dtype");
       bool has_loc = p.flag("has_loc"), has_scale = p.flag("has_scale");
       size_t n = size_t(has_loc) + size_t(has_scale);
       need(in, n, "normal");
       std::optional<array> loc, scale;
       if (has_loc) loc = in[0];
       if (has_scale) scale = in[has_loc ? 1 : 0];
       return {rnd::normal(s, t, loc, scale, key_at(in, n, "normal"))};
     }},
    // random_randint: inputs low, high, [key]
    {"random_randint", -1, "shape:int[] dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "randint");
       Shape s = p.ints("shape");
       Dtype t = p.dtype("dtype");
       return {rnd::randint(in[0], in[1], s, t, key_at(in, 2, "randint"))};
     }},
    // random_bernoulli: inputs p, [key]; no shape: p's shape
    {"random_bernoulli", -1, "shape:int[]?", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "bernoulli");
       auto s = p.opt_shape("shape");
       return {rnd::bernoulli(in[0], s, key_at(in, 1, "bernoulli"))};
     }},
    // random_truncated_normal: inputs lower, upper, [key]
    {"random_truncated_normal", -1, "shape:int[]? dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 2, "truncated_normal");
       auto s = p.opt_shape("shape");
       Dtype t = p.dtype("dtype");
       return {rnd::truncated_normal(in[0], in[1], s, t, key_at(in, 2, "truncated_normal"))};
     }},
    // random_gumbel: inputs [key]
    {"random_gumbel", -1, "shape:int[] dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       Shape s = p.ints("shape");
       Dtype t = p.dtype("dtype");
       return {rnd::gumbel(s, t, key_at(in, 0, "gumbel"))};
     }},
    // random_categorical: inputs logits, [key]
    {"random_categorical", -1, "axis:int shape:int[]? num_samples:int?", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "categorical");
       int axis = p.int_("axis");
       auto s = p.opt_shape("shape");
       auto num = p.opt_int("num_samples");
       return {rnd::categorical(in[0], axis, s, num, key_at(in, 1, "categorical"))};
     }},
    // random_permutation: inputs x, [key]
    {"random_permutation", -1, "axis:int", [](const Arrays& in, Params& p) -> Arrays {
       need(in, 1, "permutation");
       return {rnd::permutation(in[0], p.int_("axis"), key_at(in, 1, "permutation"))};
     }},
    // random_permutation_n: inputs [key]
    {"random_permutation_n", -1, "n:int", [](const Arrays& in, Params& p) -> Arrays {
       return {rnd::permutation(p.int_("n"), key_at(in, 0, "permutation"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

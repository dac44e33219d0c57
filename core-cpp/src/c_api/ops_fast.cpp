// C ABI registrations of mx.fast: rms_norm, layer_norm, rope, scaled_dot_product_attention.
#include <optional>
#include <stdexcept>
#include <string>

#include "ops/fast.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// The optional arrays after x: present in order when their flag is set.
std::optional<array> optional_input(const Arrays& in, size_t& next, bool present) {
  if (!present) return std::nullopt;
  if (next >= in.size()) throw std::invalid_argument("[fast] Missing an input array.");
  return in[next++];
}

const OpList fast_ops{
    // rms_norm: inputs x [, weight]; ints has_weight; reals eps
    {"rms_norm", -1, [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 1;
       auto w = optional_input(in, next, p.flag());
       return {fast::rms_norm(in.at(0), w, p.real())};
     }},
    // layer_norm: inputs x [, weight] [, bias]; ints has_weight, has_bias; reals eps
    {"layer_norm", -1, [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 1;
       auto w = optional_input(in, next, p.flag());
       auto b = optional_input(in, next, p.flag());
       return {fast::layer_norm(in.at(0), w, b, p.real())};
     }},
    // rope: ints dims, traditional, offset; reals base, scale
    {"rope", 1, [](const Arrays& in, Params& p) -> Arrays {
       int dims = p.int_();
       bool traditional = p.flag();
       int offset = p.int_();
       double base = p.real();
       return {fast::rope(in[0], dims, traditional, base, p.real(), offset)};
     }},
    // scaled_dot_product_attention: inputs q, k, v [, mask]; ints mask kind (0 none,
    // 1 causal, 2 the array input), has_scale; reals scale (ignored without has_scale)
    {"scaled_dot_product_attention", -1, [](const Arrays& in, Params& p) -> Arrays {
       int kind = p.int_();
       bool has_scale = p.flag();
       double scale = p.real();
       if (in.size() != (kind == 2 ? 4u : 3u)) {
         throw std::invalid_argument("[scaled_dot_product_attention] Expected " + std::to_string(kind == 2 ? 4 : 3) +
                                     " array inputs, got " + std::to_string(in.size()) + ".");
       }
       std::optional<array> mask;
       if (kind == 2) mask = in[3];
       return {fast::scaled_dot_product_attention(in[0], in[1], in[2], has_scale ? std::optional<double>(scale)
                                                                                 : std::nullopt,
                                                  mask, kind == 1)};
     }},
};

}  // namespace
}  // namespace mlx::capi

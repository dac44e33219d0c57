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
    // rms_norm: inputs x [, weight]
    {"rms_norm", -1, "has_weight:bool eps:real", [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 1;
       auto w = optional_input(in, next, p.flag("has_weight"));
       return {fast::rms_norm(in.at(0), w, p.real("eps"))};
     }},
    // layer_norm: inputs x [, weight] [, bias]
    {"layer_norm", -1, "has_weight:bool has_bias:bool eps:real", [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 1;
       auto w = optional_input(in, next, p.flag("has_weight"));
       auto b = optional_input(in, next, p.flag("has_bias"));
       return {fast::layer_norm(in.at(0), w, b, p.real("eps"))};
     }},
    {"rope", 1, "dims:int traditional:bool offset:int base:real scale:real", [](const Arrays& in, Params& p) -> Arrays {
       int dims = p.int_("dims");
       bool traditional = p.flag("traditional");
       int offset = p.int_("offset");
       double base = p.real("base");
       return {fast::rope(in[0], dims, traditional, base, p.real("scale"), offset)};
     }},
    // scaled_dot_product_attention: inputs q, k, v [, mask]; mask 'array' takes the 4th input
    {"scaled_dot_product_attention", -1, "mask:enum(none|causal|array) scale:real?",
     [](const Arrays& in, Params& p) -> Arrays {
       int kind = p.choice("mask");
       auto scale = p.opt_real("scale");
       if (in.size() != (kind == 2 ? 4u : 3u)) {
         throw std::invalid_argument("[scaled_dot_product_attention] Expected " + std::to_string(kind == 2 ? 4 : 3) +
                                     " array inputs, got " + std::to_string(in.size()) + ".");
       }
       std::optional<array> mask;
       if (kind == 2) mask = in[3];
       return {fast::scaled_dot_product_attention(in[0], in[1], in[2], scale, mask, kind == 1)};
     }},
};

}  // namespace
}  // namespace mlx::capi

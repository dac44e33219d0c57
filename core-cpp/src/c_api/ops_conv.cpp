// C ABI registration of the direct float32 conv2d (mx.conv1d/conv2d route float32 here).
#include <stdexcept>
#include <string>

#include "ops/conv.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// A (height, width) pair parameter.
std::pair<int, int> pair_of(Params& p, const char* name) {
  auto v = p.ints(name);
  if (v.size() != 2) throw std::invalid_argument(std::string("[conv2d_direct] ") + name + " must have 2 entries.");
  return {v[0], v[1]};
}

const OpList conv_ops{
    {"conv2d_direct", 2, "stride:int[] padding:int[] dilation:int[] groups:int",
     [](const Arrays& in, Params& p) -> Arrays {
       Conv2dParams c;
       auto s = pair_of(p, "stride"), pad = pair_of(p, "padding"), d = pair_of(p, "dilation");
       c.stride = {s.first, s.second};
       c.padding = {pad.first, pad.second};
       c.dilation = {d.first, d.second};
       c.groups = p.int_("groups");
       return {conv2d_direct(in[0], in[1], c)};
     }},
};

}  // namespace
}  // namespace mlx::capi

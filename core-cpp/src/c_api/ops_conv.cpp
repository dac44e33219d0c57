// C ABI registration of the direct float32 convolution (mx.conv1d/2d/3d and mx.convGeneral
// route float32 here); the spatial rank is the length of `stride` (1 to 3).
#include <stdexcept>
#include <string>

#include "ops/conv.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList conv_ops{
    {"conv_direct", 2, "stride:int[] padding_lo:int[] padding_hi:int[] dilation:int[] groups:int",
     [](const Arrays& in, Params& p) -> Arrays {
       ConvParams c;
       c.stride = p.axes("stride");
       c.padding_lo = p.axes("padding_lo");
       c.padding_hi = p.axes("padding_hi");
       c.dilation = p.axes("dilation");
       c.groups = p.int_("groups");
       return {conv_direct(in[0], in[1], c)};
     }},
};

}  // namespace
}  // namespace mlx::capi

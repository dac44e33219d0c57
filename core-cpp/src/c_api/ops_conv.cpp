// C ABI registration of the direct float32 conv2d (mx.conv1d/conv2d route float32 here).
#include "ops/conv.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList conv_ops{
    // conv2d_direct: ints stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups
    {"conv2d_direct", 2,
     [](const Arrays& in, Params& p) -> Arrays {
       Conv2dParams c;
       c.stride = {p.int_(), p.int_()};
       c.padding = {p.int_(), p.int_()};
       c.dilation = {p.int_(), p.int_()};
       c.groups = p.int_();
       return {conv2d_direct(in[0], in[1], c)};
     }},
};

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of the strided-view family (as_strided, contiguous).
#include "ops/strided.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList strided_ops{
    {"as_strided", 1, "shape:int[] strides:int[] offset:int", [](const Arrays& in, Params& p) -> Arrays {
       Shape shape = p.ints("shape");
       std::vector<int32_t> st = p.ints("strides");
       int offset = p.int_("offset");
       return {as_strided(in[0], shape, Strides(st.begin(), st.end()), offset)};
     }},
    {"contiguous", 1, "allow_col_major:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {contiguous(in[0], p.flag("allow_col_major"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

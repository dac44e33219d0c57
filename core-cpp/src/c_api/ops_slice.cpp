// C ABI registrations of strided slicing.
#include "ops/slice.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList slice_ops{
    {"slice", 1, "start:int[] stop:int[] strides:int[]", [](const Arrays& in, Params& p) -> Arrays {
       auto start = p.ints("start");
       auto stop = p.ints("stop");
       auto strides = p.ints("strides");
       return {slice(in[0], start, stop, strides)};
     }},
    // slice_update: src, update
    {"slice_update", 2, "start:int[] stop:int[] strides:int[]", [](const Arrays& in, Params& p) -> Arrays {
       auto start = p.ints("start");
       auto stop = p.ints("stop");
       auto strides = p.ints("strides");
       return {slice_update(in[0], in[1], start, stop, strides)};
     }},
};

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of strided slicing and of dynamic slicing (array start indices).
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
    // slice_dynamic: a, start
    {"slice_dynamic", 2, "axes:int[] slice_size:int[]", [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes("axes");
       auto size = p.ints("slice_size");
       return {slice_dynamic(in[0], in[1], axes, Shape(size.begin(), size.end()))};
     }},
    // slice_update_dynamic: src, update, start
    {"slice_update_dynamic", 3, "axes:int[]", [](const Arrays& in, Params& p) -> Arrays {
       return {slice_update_dynamic(in[0], in[1], in[2], p.axes("axes"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

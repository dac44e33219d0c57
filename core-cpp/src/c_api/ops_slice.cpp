// C ABI registrations of strided slicing.
#include "ops/slice.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList slice_ops{
    // slice: a; start list, stop list, strides list
    {"slice", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto start = p.ints();
       auto stop = p.ints();
       auto strides = p.ints();
       return {slice(in[0], start, stop, strides)};
     }},
    // slice_update: src, update; start list, stop list, strides list
    {"slice_update", 2, [](const Arrays& in, Params& p) -> Arrays {
       auto start = p.ints();
       auto stop = p.ints();
       auto strides = p.ints();
       return {slice_update(in[0], in[1], start, stop, strides)};
     }},
};

}  // namespace
}  // namespace mlx::capi

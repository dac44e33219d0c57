// C ABI registrations of the sorting ops. `axis` is an int; the flag `flatten` (1) ignores
// it and works on the flattened array (MLX's axis=None).
#include "ops/sort.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList sort_ops{
    // sort / argsort: int axis, flag flatten
    {"sort", 1, [](const Arrays& in, Params& p) -> Arrays {
       int axis = p.int_();
       return {p.flag() ? sort(in[0]) : sort(in[0], axis)};
     }},
    {"argsort", 1, [](const Arrays& in, Params& p) -> Arrays {
       int axis = p.int_();
       return {p.flag() ? argsort(in[0]) : argsort(in[0], axis)};
     }},
    // partition / argpartition: int kth, int axis, flag flatten
    {"partition", 1, [](const Arrays& in, Params& p) -> Arrays {
       int kth = p.int_(), axis = p.int_();
       return {p.flag() ? partition(in[0], kth) : partition(in[0], kth, axis)};
     }},
    {"argpartition", 1, [](const Arrays& in, Params& p) -> Arrays {
       int kth = p.int_(), axis = p.int_();
       return {p.flag() ? argpartition(in[0], kth) : argpartition(in[0], kth, axis)};
     }},
    // topk: int k, int axis, flag flatten
    {"topk", 1, [](const Arrays& in, Params& p) -> Arrays {
       int k = p.int_(), axis = p.int_();
       return {p.flag() ? topk(in[0], k) : topk(in[0], k, axis)};
     }},
};

}  // namespace
}  // namespace mlx::capi

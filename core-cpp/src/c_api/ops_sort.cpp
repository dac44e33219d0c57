// C ABI registrations of the sorting ops. No axis: the flattened array (MLX's axis=None).
#include "ops/sort.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList sort_ops{
    {"sort", 1, "axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       auto axis = p.opt_int("axis");
       return {axis ? sort(in[0], *axis) : sort(in[0])};
     }},
    {"argsort", 1, "axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       auto axis = p.opt_int("axis");
       return {axis ? argsort(in[0], *axis) : argsort(in[0])};
     }},
    {"partition", 1, "kth:int axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       int kth = p.int_("kth");
       auto axis = p.opt_int("axis");
       return {axis ? partition(in[0], kth, *axis) : partition(in[0], kth)};
     }},
    {"argpartition", 1, "kth:int axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       int kth = p.int_("kth");
       auto axis = p.opt_int("axis");
       return {axis ? argpartition(in[0], kth, *axis) : argpartition(in[0], kth)};
     }},
    {"topk", 1, "k:int axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       int k = p.int_("k");
       auto axis = p.opt_int("axis");
       return {axis ? topk(in[0], k, *axis) : topk(in[0], k)};
     }},
};

}  // namespace
}  // namespace mlx::capi

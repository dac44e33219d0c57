// C ABI registrations of the reduce family: reductions, arg reductions, softmax, logsumexp,
// scans.
#include "ops.h"
#include "ops/reduce.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// axes not given: all axes.
#define REDUCE(NAME)                                                                                  \
  {#NAME, 1, "axes:int[]? keepdims:bool", [](const Arrays& in, Params& p) -> Arrays {                 \
     auto axes = p.opt_axes("axes");                                                                  \
     return {NAME(in[0], axes, p.flag("keepdims"))};                                                  \
   }}
#define VARIANCE(NAME)                                                                                \
  {#NAME, 1, "axes:int[]? keepdims:bool ddof:int", [](const Arrays& in, Params& p) -> Arrays {        \
     auto axes = p.opt_axes("axes");                                                                  \
     bool keepdims = p.flag("keepdims");                                                              \
     return {NAME(in[0], axes, keepdims, p.int_("ddof"))};                                            \
   }}
// axis not given: the flattened array.
#define ARG_REDUCE(NAME)                                                                              \
  {#NAME, 1, "axis:int? keepdims:bool", [](const Arrays& in, Params& p) -> Arrays {                   \
     auto axis = p.opt_int("axis");                                                                   \
     return {NAME(in[0], axis, p.flag("keepdims"))};                                                  \
   }}
#define SCAN(NAME)                                                                                    \
  {#NAME, 1, "axis:int? reverse:bool inclusive:bool", [](const Arrays& in, Params& p) -> Arrays {     \
     auto axis = p.opt_int("axis");                                                                   \
     bool reverse = p.flag("reverse");                                                                \
     return {NAME(in[0], axis, reverse, p.flag("inclusive"))};                                        \
   }}

const OpList reduce_ops{
    REDUCE(sum), REDUCE(mean), REDUCE(max), REDUCE(prod), REDUCE(min), REDUCE(all), REDUCE(any),
    REDUCE(logsumexp), VARIANCE(var), VARIANCE(std), ARG_REDUCE(argmin), ARG_REDUCE(argmax),
    {"softmax", 1, "axes:int[]? precise:bool", [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.opt_axes("axes");
       return {softmax(in[0], axes, p.flag("precise"))};
     }},
    SCAN(cumsum), SCAN(cumprod), SCAN(cummax), SCAN(cummin), SCAN(logcumsumexp),
};

#undef REDUCE
#undef VARIANCE
#undef ARG_REDUCE
#undef SCAN

}  // namespace
}  // namespace mlx::capi

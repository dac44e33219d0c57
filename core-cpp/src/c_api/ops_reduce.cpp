// C ABI registrations of the reduce family: reductions, arg reductions, softmax, scans.
#include "ops/reduce.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// An optional single axis: a flag (1 = given) then the axis.
std::optional<int> optional_axis(Params& p) {
  bool given = p.flag();
  int axis = p.int_();
  if (!given) return std::nullopt;
  return axis;
}

const OpList reduce_ops{
    // prod/min/all/any/logsumexp: axes (optional), keepdims
    {"prod", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {prod(in[0], axes, p.flag())};
     }},
    {"min", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {min(in[0], axes, p.flag())};
     }},
    {"all", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {all(in[0], axes, p.flag())};
     }},
    {"any", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {any(in[0], axes, p.flag())};
     }},
    {"logsumexp", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {logsumexp(in[0], axes, p.flag())};
     }},
    // var/std: axes (optional), keepdims, ddof
    {"var", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       bool keepdims = p.flag();
       return {var(in[0], axes, keepdims, p.int_())};
     }},
    {"std", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       bool keepdims = p.flag();
       return {std(in[0], axes, keepdims, p.int_())};
     }},
    // argmin/argmax: axis given (flag), axis, keepdims
    {"argmin", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       return {argmin(in[0], axis, p.flag())};
     }},
    {"argmax", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       return {argmax(in[0], axis, p.flag())};
     }},
    // softmax: axes (optional), precise
    {"softmax", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {softmax(in[0], axes, p.flag())};
     }},
    // scans: axis given (flag), axis, reverse, inclusive
    {"cumsum", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       bool reverse = p.flag();
       return {cumsum(in[0], axis, reverse, p.flag())};
     }},
    {"cumprod", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       bool reverse = p.flag();
       return {cumprod(in[0], axis, reverse, p.flag())};
     }},
    {"cummax", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       bool reverse = p.flag();
       return {cummax(in[0], axis, reverse, p.flag())};
     }},
    {"cummin", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       bool reverse = p.flag();
       return {cummin(in[0], axis, reverse, p.flag())};
     }},
    {"logcumsumexp", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       bool reverse = p.flag();
       return {logcumsumexp(in[0], axis, reverse, p.flag())};
     }},
};

}  // namespace
}  // namespace mlx::capi

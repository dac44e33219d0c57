// C ABI registrations of the element-wise family: arithmetic, math functions, casts.
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/elementwise.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

#define UNARY(NAME) {#NAME, 1, "", [](const Arrays& in, Params&) -> Arrays { return {NAME(in[0])}; }}
#define BINARY(NAME) {#NAME, 2, "", [](const Arrays& in, Params&) -> Arrays { return {NAME(in[0], in[1])}; }}

const OpList elementwise_ops{
    BINARY(add), BINARY(subtract), BINARY(multiply), BINARY(divide), UNARY(negative), UNARY(exp),
    UNARY(log), UNARY(tanh), UNARY(stop_gradient),
    UNARY(abs), UNARY(sign), UNARY(square), UNARY(sqrt), UNARY(rsqrt), UNARY(reciprocal),
    UNARY(expm1), UNARY(log2), UNARY(log10), UNARY(log1p), UNARY(sin), UNARY(cos), UNARY(tan),
    UNARY(arcsin), UNARY(arccos), UNARY(arctan), UNARY(sinh), UNARY(cosh), UNARY(arcsinh),
    UNARY(arccosh), UNARY(arctanh), UNARY(sigmoid), UNARY(erf), UNARY(erfinv), UNARY(ceil),
    UNARY(floor), UNARY(degrees), UNARY(radians), UNARY(logical_not), UNARY(isnan), UNARY(isinf),
    UNARY(isfinite), UNARY(isposinf), UNARY(isneginf), UNARY(bitwise_invert),
    BINARY(floor_divide), BINARY(remainder), BINARY(power), BINARY(maximum), BINARY(minimum),
    BINARY(logaddexp), BINARY(arctan2), BINARY(logical_and), BINARY(logical_or), BINARY(bitwise_and),
    BINARY(bitwise_or), BINARY(bitwise_xor), BINARY(left_shift), BINARY(right_shift),
    {"astype", 1, "dtype:dtype", [](const Arrays& in, Params& p) -> Arrays { return {astype(in[0], p.dtype("dtype"))}; }},
    // view: the same bytes read as dtype
    {"view", 1, "dtype:dtype", [](const Arrays& in, Params& p) -> Arrays { return {view(in[0], p.dtype("dtype"))}; }},
    // divmod: two outputs (quotient, remainder)
    {"divmod", 2, "", [](const Arrays& in, Params&) -> Arrays { return divmod(in[0], in[1]); }},
    {"round", 1, "decimals:int", [](const Arrays& in, Params& p) -> Arrays { return {round(in[0], p.int_("decimals"))}; }},
    // clip: inputs a, then the bounds that are given
    {"clip", -1, "has_min:bool has_max:bool", [](const Arrays& in, Params& p) -> Arrays {
       bool has_min = p.flag("has_min"), has_max = p.flag("has_max");
       if (in.size() != 1u + has_min + has_max) {
         throw std::invalid_argument("[clip] Expected " + std::to_string(1 + has_min + has_max) + " arrays.");
       }
       std::optional<array> lo, hi;
       if (has_min) lo = in[1];
       if (has_max) hi = in[has_min ? 2 : 1];
       return {clip(in[0], lo, hi)};
     }},
    {"nan_to_num", 1, "nan:real posinf:real? neginf:real?", [](const Arrays& in, Params& p) -> Arrays {
       double nan = p.real("nan");
       auto pos = p.opt_real("posinf");
       auto neg = p.opt_real("neginf");
       return {nan_to_num(in[0], nan, pos, neg)};
     }},
};

#undef UNARY
#undef BINARY

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of the comparison family.
#include "ops/compare.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

#define BINARY(NAME) {#NAME, 2, "", [](const Arrays& in, Params&) -> Arrays { return {NAME(in[0], in[1])}; }}

const OpList compare_ops{
    BINARY(equal), BINARY(not_equal), BINARY(greater), BINARY(greater_equal), BINARY(less), BINARY(less_equal),
    // where: cond, x, y
    {"where", 3, "", [](const Arrays& in, Params&) -> Arrays { return {where(in[0], in[1], in[2])}; }},
    {"isclose", 2, "rtol:real atol:real equal_nan:bool", [](const Arrays& in, Params& p) -> Arrays {
       double rtol = p.real("rtol"), atol = p.real("atol");
       return {isclose(in[0], in[1], rtol, atol, p.flag("equal_nan"))};
     }},
    {"allclose", 2, "rtol:real atol:real equal_nan:bool", [](const Arrays& in, Params& p) -> Arrays {
       double rtol = p.real("rtol"), atol = p.real("atol");
       return {allclose(in[0], in[1], rtol, atol, p.flag("equal_nan"))};
     }},
    {"array_equal", 2, "equal_nan:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {array_equal(in[0], in[1], p.flag("equal_nan"))};
     }},
};

#undef BINARY

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of the comparison family.
#include "ops/compare.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList compare_ops{
    {"equal", 2, [](const Arrays& in, Params&) -> Arrays { return {equal(in[0], in[1])}; }},
    {"not_equal", 2, [](const Arrays& in, Params&) -> Arrays { return {not_equal(in[0], in[1])}; }},
    {"greater", 2, [](const Arrays& in, Params&) -> Arrays { return {greater(in[0], in[1])}; }},
    {"greater_equal", 2, [](const Arrays& in, Params&) -> Arrays { return {greater_equal(in[0], in[1])}; }},
    {"less", 2, [](const Arrays& in, Params&) -> Arrays { return {less(in[0], in[1])}; }},
    {"less_equal", 2, [](const Arrays& in, Params&) -> Arrays { return {less_equal(in[0], in[1])}; }},
    // where: cond, x, y
    {"where", 3, [](const Arrays& in, Params&) -> Arrays { return {where(in[0], in[1], in[2])}; }},
    // isclose/allclose: reals rtol, atol; equal_nan
    {"isclose", 2, [](const Arrays& in, Params& p) -> Arrays {
       double rtol = p.real(), atol = p.real();
       return {isclose(in[0], in[1], rtol, atol, p.flag())};
     }},
    {"allclose", 2, [](const Arrays& in, Params& p) -> Arrays {
       double rtol = p.real(), atol = p.real();
       return {allclose(in[0], in[1], rtol, atol, p.flag())};
     }},
    // array_equal: equal_nan
    {"array_equal", 2, [](const Arrays& in, Params& p) -> Arrays { return {array_equal(in[0], in[1], p.flag())}; }},
};

}  // namespace
}  // namespace mlx::capi

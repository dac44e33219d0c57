// C ABI registrations of the element-wise family: arithmetic, math functions, casts.
#include <stdexcept>
#include <string>
#include <string_view>

#include "ops.h"
#include "elementwise_table.h"
#include "ops/elementwise.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

#define UNARY(NAME) {#NAME, 1, "", [](const Arrays& in, Params&) -> Arrays { return {NAME(in[0])}; }}

// Every op of elementwise_table.h takes its arrays only; round (decimals) is registered below.
#define MLX_EW_REGISTER_UNARY(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP)                          \
  if (std::string_view(#MLX_NAME) != "round")                                                        \
    register_op(#MLX_NAME, 1, "", [](const Arrays& in, Params&) -> Arrays { return {MLX_NAME(in[0])}; });
#define MLX_EW_REGISTER_BINARY(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  register_op(#MLX_NAME, 2, "", [](const Arrays& in, Params&) -> Arrays { return {MLX_NAME(in[0], in[1])}; });

struct TableOps {
  TableOps() {
    MLX_ELEMENTWISE_UNARY(MLX_EW_REGISTER_UNARY)
    MLX_ELEMENTWISE_BINARY(MLX_EW_REGISTER_BINARY)
  }
};
const TableOps table_ops;

#undef MLX_EW_REGISTER_UNARY
#undef MLX_EW_REGISTER_BINARY

// The element-wise ops outside the table (compositions, casts, several outputs, parameters).
const OpList elementwise_ops{
    UNARY(stop_gradient), UNARY(reciprocal), UNARY(degrees), UNARY(radians),
    // real, imag: float32 parts of complex64 (conjugate is a table op)
    UNARY(real), UNARY(imag),
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

}  // namespace
}  // namespace mlx::capi

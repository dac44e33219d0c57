// C ABI registrations of mx.to_fp8 and mx.from_fp8.
#include "ops/fp8.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList fp8_ops{
    {"to_fp8", 1, "", [](const Arrays& in, Params&) -> Arrays { return {to_fp8(in[0])}; }},
    {"from_fp8", 1, "dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       return {from_fp8(in[0], p.dtype("dtype"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

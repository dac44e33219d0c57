// C ABI registration of mx.hadamard_transform.
#include "ops/hadamard.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList hadamard_ops{
    {"hadamard_transform", 1, "scale:real?", [](const Arrays& in, Params& p) -> Arrays {
       return {hadamard_transform(in[0], p.opt_real("scale"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

// C ABI registration of mx.depends (transforms/custom.h): the first `num_inputs` arrays come
// back unchanged, ordered after the remaining ones (the dependencies) are computed.
#include <stdexcept>

#include "transforms/custom.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList custom_ops{
    {"depends", -1, "num_inputs:int", [](const Arrays& in, Params& p) -> Arrays {
       int n = p.int_("num_inputs");
       if (n < 1 || static_cast<size_t>(n) > in.size()) {
         throw std::invalid_argument("[depends] Expected at least one input and at most the arrays given.");
       }
       return depends(Arrays(in.begin(), in.begin() + n), Arrays(in.begin() + n, in.end()));
     }},
};

}  // namespace
}  // namespace mlx::capi

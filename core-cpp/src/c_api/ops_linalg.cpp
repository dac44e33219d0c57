// C ABI registrations of the linalg ops (mx.linalg.inv / solve / cholesky).
#include "ops/linalg.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList linalg_ops{
    // linalg_inv: no parameters
    {"linalg_inv", 1, [](const Arrays& in, Params&) -> Arrays { return {linalg_inv(in[0])}; }},
    // linalg_solve: no parameters (inputs a, b)
    {"linalg_solve", 2, [](const Arrays& in, Params&) -> Arrays { return {linalg_solve(in[0], in[1])}; }},
    // linalg_cholesky: flag upper
    {"linalg_cholesky", 1, [](const Arrays& in, Params& p) -> Arrays { return {linalg_cholesky(in[0], p.flag())}; }},
};

}  // namespace
}  // namespace mlx::capi

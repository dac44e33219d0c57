// C ABI registrations of the linalg family: matmul and mx.linalg (inv, solve, cholesky,
// qr, svd).
#include "ops.h"
#include "ops/linalg.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList linalg_ops{
    {"matmul", 2, "", [](const Arrays& in, Params&) -> Arrays { return {matmul(in[0], in[1])}; }},
    {"linalg_inv", 1, "", [](const Arrays& in, Params&) -> Arrays { return {linalg_inv(in[0])}; }},
    // linalg_solve: inputs a, b
    {"linalg_solve", 2, "", [](const Arrays& in, Params&) -> Arrays { return {linalg_solve(in[0], in[1])}; }},
    {"linalg_cholesky", 1, "upper:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_cholesky(in[0], p.flag("upper"))};
     }},
    // linalg_qr: two outputs (q, r)
    {"linalg_qr", 1, "", [](const Arrays& in, Params&) -> Arrays { return linalg_qr(in[0]); }},
    // linalg_svd: outputs (u, s, vt), or (s) without compute_uv
    {"linalg_svd", 1, "compute_uv:bool", [](const Arrays& in, Params& p) -> Arrays {
       return linalg_svd(in[0], p.flag("compute_uv"));
     }},
};

}  // namespace
}  // namespace mlx::capi

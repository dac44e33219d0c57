// C ABI registrations of the matrix decompositions (mx.linalg.qr / svd).
#include "ops/linalg.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList decomp_ops{
    // linalg_qr: no parameters; two outputs (q, r)
    {"linalg_qr", 1, [](const Arrays& in, Params&) -> Arrays { return linalg_qr(in[0]); }},
    // linalg_svd: flag compute_uv; outputs (u, s, vt) or (s)
    {"linalg_svd", 1, [](const Arrays& in, Params& p) -> Arrays { return linalg_svd(in[0], p.flag()); }},
};

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of the linalg family: matmul and mx.linalg (inv, solve, cholesky,
// qr, svd, tri_inv, cholesky_inv, solve_triangular, pinv, cross, lu_factor, lu, det,
// slogdet, eigh, eigvalsh, eig, eigvals).
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
    {"linalg_tri_inv", 1, "upper:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_tri_inv(in[0], p.flag("upper"))};
     }},
    {"linalg_cholesky_inv", 1, "upper:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_cholesky_inv(in[0], p.flag("upper"))};
     }},
    // linalg_solve_triangular: inputs a, b
    {"linalg_solve_triangular", 2, "upper:bool", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_solve_triangular(in[0], in[1], p.flag("upper"))};
     }},
    {"linalg_pinv", 1, "", [](const Arrays& in, Params&) -> Arrays { return {linalg_pinv(in[0])}; }},
    {"linalg_cross", 2, "axis:int", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_cross(in[0], in[1], p.int_("axis"))};
     }},
    // linalg_lu_factor: outputs (lu, pivots); linalg_lu: outputs (P, L, U)
    {"linalg_lu_factor", 1, "", [](const Arrays& in, Params&) -> Arrays { return linalg_lu_factor(in[0]); }},
    {"linalg_lu", 1, "", [](const Arrays& in, Params&) -> Arrays { return linalg_lu(in[0]); }},
    {"linalg_det", 1, "", [](const Arrays& in, Params&) -> Arrays { return {linalg_det(in[0])}; }},
    // linalg_slogdet: outputs (sign, logabsdet)
    {"linalg_slogdet", 1, "", [](const Arrays& in, Params&) -> Arrays { return linalg_slogdet(in[0]); }},
    // linalg_eigh: outputs (w, v); uplo: the triangle read
    {"linalg_eigh", 1, "uplo:enum(L|U)", [](const Arrays& in, Params& p) -> Arrays {
       return linalg_eigh(in[0], p.choice("uplo") == 1);
     }},
    // linalg_eig: outputs (w, v), complex64
    {"linalg_eig", 1, "", [](const Arrays& in, Params&) -> Arrays { return linalg_eig(in[0]); }},
    {"linalg_eigvals", 1, "", [](const Arrays& in, Params&) -> Arrays { return {linalg_eigvals(in[0])}; }},
    {"linalg_eigvalsh", 1, "uplo:enum(L|U)", [](const Arrays& in, Params& p) -> Arrays {
       return {linalg_eigvalsh(in[0], p.choice("uplo") == 1)};
     }},
};

}  // namespace
}  // namespace mlx::capi

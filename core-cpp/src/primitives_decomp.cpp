#include "primitives_decomp.h"

#include <stdexcept>

#include "backend/cpu/decomp.h"
#include "ops.h"
#include "ops_decomp.h"
#include "ops_shape.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

array mT(const array& x) { return swapaxes(x, -1, -2); }

// The thin factors u[..., :, :k] and vt[..., :k, :] of a (k = min(m, n)).
std::pair<array, array> thin_uv(const array& a) {
  auto usv = linalg_svd(a, true);
  int k = usv[1].shape(-1);
  array u = slice_axis(usv[0], usv[0].ndim() - 1, 0, k);
  array vt = slice_axis(usv[2], usv[2].ndim() - 2, 0, k);
  return {u, vt};
}

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

}  // namespace

void QRF::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) { qr_eval(in[0], outs[0], outs[1]); }

std::vector<array> QRF::vjp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&,
                            const std::vector<array>&) {
  throw std::invalid_argument("[linalg::qr] The vjp of the QR factorization is not implemented.");
}

std::vector<array> QRF::jvp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&) {
  throw std::invalid_argument("[linalg::qr] The jvp of the QR factorization is not implemented.");
}

VmapResult QRF::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return {linalg_qr(vmap_util::move_axis(in[0], axes[0], 0)), {0, 0}};
}

void SVD::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) {
  if (compute_uv_) svd_eval(in[0], &outs[0], outs[1], &outs[2]);
  else svd_eval(in[0], nullptr, outs[0], nullptr);
}

// s = diag(U^T A V): ds_l = u_l^T dA v_l, so Abar = U_k diag(sbar) Vt_k (distinct singular values).
std::vector<array> SVD::vjp(const std::vector<array>& primals, const std::vector<array>& cot, const std::vector<int>&,
                            const std::vector<array>&) {
  if (compute_uv_) {
    throw std::invalid_argument(
        "[linalg::svd] The vjp through the singular vectors (compute_uv=true) is not implemented; use "
        "compute_uv=false for the gradient of the singular values.");
  }
  auto [u, vt] = thin_uv(primals[0]);
  return {matmul(multiply(u, expand_dims(cot[0], {-2})), vt)};
}

std::vector<array> SVD::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  if (compute_uv_) {
    throw std::invalid_argument(
        "[linalg::svd] The jvp through the singular vectors (compute_uv=true) is not implemented; use "
        "compute_uv=false for the derivative of the singular values.");
  }
  auto [u, vt] = thin_uv(primals[0]);
  return {sum(multiply(matmul(mT(u), tan[0]), vt), std::vector<int>{-1})};
}

VmapResult SVD::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  auto outs = linalg_svd(vmap_util::move_axis(in[0], axes[0], 0), compute_uv_);
  return {outs, std::vector<int>(outs.size(), 0)};
}

}  // namespace mlx

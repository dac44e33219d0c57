#include "primitives/linalg.h"

#include <stdexcept>

#include "transforms/vmap.h"

#include "backend/cpu/decomp.h"
#include "backend/cpu/eig.h"
#include "backend/cpu/linalg.h"
#include "backend/cpu/matmul.h"
#include "ops.h"
#include "ops/creation.h"
#include "ops/linalg.h"
#include "ops/shape.h"

namespace mlx {

namespace {

array mT(const array& x) { return swapaxes(x, -1, -2); }

// Phi(X): the lower triangle of X with its diagonal halved (the Cholesky derivative's projection).
array phi(const array& x) {
  int n = x.shape(-1);
  array half = astype(subtract(tri(n, n, 0, Dtype::float64), multiply(eye(n, n, 0, Dtype::float64), array::scalar(0.5, Dtype::float64))), x.dtype());
  return multiply(x, half);
}

}  // namespace

void Inverse::eval(const std::vector<array>& in, array& out) {
  if (tri_) tri_inv_eval(in[0], out, upper_);
  else inv_eval(in[0], out);
}

// d(A^-1) = -A^-1 dA A^-1, so the cotangent of A is -A^-T G A^-T. A triangular inverse
// reads one triangle of A: its cotangent is that triangle of the same matrix (and its
// tangent sees only that triangle of dA).
std::vector<array> Inverse::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                const std::vector<array>& outputs) {
  array it = mT(outputs[0]);
  array g = negative(matmul(matmul(it, cot[0]), it));
  if (tri_) g = upper_ ? triu(g) : tril(g);
  return {g};
}

std::vector<array> Inverse::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  array ai = tri_ ? linalg_tri_inv(primals[0], upper_) : linalg_inv(primals[0]);
  array t = tri_ ? (upper_ ? triu(tan[0]) : tril(tan[0])) : tan[0];
  return {negative(matmul(matmul(ai, t), ai))};
}

void Cholesky::eval(const std::vector<array>& in, array& out) { cholesky_eval(in[0], out); }

// For A = L L^T (A symmetric): S = L^-T Phi(L^T Lbar) L^-1 and Abar = (S + S^T) / 2.
std::vector<array> Cholesky::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                 const std::vector<array>& outputs) {
  const array& l = outputs[0];
  array li = linalg_inv(l);
  array s = matmul(matmul(mT(li), phi(matmul(mT(l), cot[0]))), li);
  return {multiply(add(s, mT(s)), array::scalar(0.5, s.dtype()))};
}

// dL = L Phi(L^-1 dA L^-T).
std::vector<array> Cholesky::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  array l = linalg_cholesky(primals[0]);
  array li = linalg_inv(l);
  return {matmul(l, phi(matmul(matmul(li, tan[0]), mT(li))))};
}

std::pair<std::vector<array>, std::vector<int>> Inverse::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  array a = vmap_util::move_axis(in[0], axes[0], 0);
  return {{tri_ ? linalg_tri_inv(a, upper_) : linalg_inv(a)}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> Cholesky::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  return {{linalg_cholesky(vmap_util::move_axis(in[0], axes[0], 0), false)}, {0}};
}

// ---- Matmul ---------------------------------------------------------------------------

namespace {

// The tangent of input `i` if it has one, else an invalid array.
array tangent_of(const std::vector<array>& tangents, const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k)
    if (argnums[k] == i) return tangents[k];
  return array();
}

// Sums the contributions of the inputs that have tangents.
array add_tangents(array a, array b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return add(a, b);
}

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

std::vector<int> swap_last_two(int ndim) {
  std::vector<int> axes(ndim);
  for (int i = 0; i < ndim; ++i) axes[i] = i;
  std::swap(axes[ndim - 1], axes[ndim - 2]);
  return axes;
}

}  // namespace

void Matmul::eval(const std::vector<array>& in, array& out) { matmul_eval(in[0], in[1], out); }
std::vector<array> Matmul::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  auto perm = swap_last_two(cot[0].ndim());
  for (int i : argnums) {
    out.push_back(i == 0 ? matmul(cot[0], transpose(primals[1], perm))
                         : matmul(transpose(primals[0], perm), cot[0]));
  }
  return out;
}
std::vector<array> Matmul::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  return {add_tangents(t0.valid() ? matmul(t0, primals[1]) : array(),
                       t1.valid() ? matmul(primals[0], t1) : array())};
}
VmapResult Matmul::vmap(const std::vector<array>& in_, const std::vector<int>& axes) {
  std::vector<array> in = in_;
  vmap_util::to_front(in, axes);
  // An unbatched operand keeps its own batch axes; give it a leading 1 only when the batched
  // one would otherwise be misaligned (it has at least as many axes after batching).
  for (int i = 0; i < 2; ++i) {
    if (axes[i] >= 0) continue;
    const array& other = in[1 - i];
    while (in[i].ndim() < other.ndim()) {
      Shape s = in[i].shape();
      s.insert(s.begin(), 1);
      in[i] = reshape(in[i], s);
    }
  }
  return {{matmul(in[0], in[1])}, {0}};
}
std::vector<Shape> Matmul::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = in[1].shape().back();
  return {s};
}


namespace {

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

// ---- LUF ------------------------------------------------------------------------------

void LUF::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) { luf_eval(in[0], outs[0], outs[1], outs[2]); }

std::vector<array> LUF::vjp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&,
                            const std::vector<array>&) {
  throw std::invalid_argument("[linalg::lu_factor] The vjp of the LU factorization is not implemented.");
}

std::vector<array> LUF::jvp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&) {
  throw std::invalid_argument("[linalg::lu_factor] The jvp of the LU factorization is not implemented.");
}

VmapResult LUF::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return {linalg_luf(vmap_util::move_axis(in[0], axes[0], 0)), {0, 0, 0}};
}

// ---- Eigh -----------------------------------------------------------------------------

namespace {

// F[..., i, j] = 1 / (w_j - w_i) off the diagonal, 0 on it (the eigenvector derivative's weights).
array gap_weights(const array& w) {
  int n = w.shape(-1);
  array d = subtract(expand_dims(w, {-2}), expand_dims(w, {-1}));
  array on_diag = astype(eye(n, n, 0, Dtype::float32), Dtype::bool_);
  return where(on_diag, array::scalar(0.0, w.dtype()), reciprocal(where(on_diag, array::scalar(1.0, w.dtype()), d)));
}

}  // namespace

void Eigh::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) {
  eigh_eval(in[0], outs[0], compute_eigenvectors_ ? &outs[1] : nullptr, upper_);
}

// MLX's rule (no projection onto the triangle read): with A = V diag(w) V^T,
// Abar = V (diag(wbar) + F o (V^T Vbar)) V^T, F_ij = 1 / (w_j - w_i) (i != j), 0 on the diagonal.
std::vector<array> Eigh::vjp(const std::vector<array>& primals, const std::vector<array>& cot, const std::vector<int>&,
                             const std::vector<array>& outputs) {
  // An output nothing held any more comes back as a value-less placeholder: recompute then.
  auto usable = [](const array& x) { return x.is_evaluated() || x.has_primitive(); };
  bool have = compute_eigenvectors_ && usable(outputs[0]) && usable(outputs[1]);
  std::vector<array> wv = have ? outputs : linalg_eigh(primals[0], upper_);
  array v = wv[1];
  array vt = mT(v);
  array inner = multiply(eye(v.shape(-1), v.shape(-1), 0, v.dtype()), expand_dims(cot[0], {-2}));
  if (compute_eigenvectors_) inner = add(inner, multiply(gap_weights(wv[0]), matmul(vt, cot[1])));
  return {matmul(matmul(v, inner), vt)};
}

// dw = diag(V^T dA V), dV = V (F o (V^T dA V)): the forward form of the rule above.
std::vector<array> Eigh::jvp(const std::vector<array>& primals, const std::vector<array>& tan, const std::vector<int>&) {
  auto wv = linalg_eigh(primals[0], upper_);
  array v = wv[1];
  array m = matmul(matmul(mT(v), tan[0]), v);
  array dw = diagonal(m, 0, -2, -1);
  if (!compute_eigenvectors_) return {dw};
  return {dw, matmul(v, multiply(gap_weights(wv[0]), m))};
}

VmapResult Eigh::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array a = vmap_util::move_axis(in[0], axes[0], 0);
  if (!compute_eigenvectors_) return {{linalg_eigvalsh(a, upper_)}, {0}};
  return {linalg_eigh(a, upper_), {0, 0}};
}

// ---- Eig ------------------------------------------------------------------------------

void Eig::eval_cpu(const std::vector<array>& in, std::vector<array>& outs) {
  eig_eval(in[0], outs[0], compute_eigenvectors_ ? &outs[1] : nullptr);
}

std::vector<array> Eig::vjp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&,
                            const std::vector<array>&) {
  throw std::invalid_argument("[linalg::eig] The vjp of the eigendecomposition is not implemented.");
}

std::vector<array> Eig::jvp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&) {
  throw std::invalid_argument("[linalg::eig] The jvp of the eigendecomposition is not implemented.");
}

VmapResult Eig::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array a = vmap_util::move_axis(in[0], axes[0], 0);
  if (!compute_eigenvectors_) return {{linalg_eigvals(a)}, {0}};
  return {linalg_eig(a), {0, 0}};
}

}  // namespace mlx

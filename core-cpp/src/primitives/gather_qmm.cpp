#include "primitives/gather_qmm.h"

#include <algorithm>
#include <stdexcept>

#include "backend/cpu/gather_qmm.h"
#include "ops.h"
#include "ops/gather_qmm.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {
bool is_affine(QuantizationMode m) { return m == QuantizationMode::Affine; }
}  // namespace

// The gradient of the affine scales (or biases): the dequantized matrices' gradient, the
// sum over the pairs that used each matrix of g^T x (or x^T g), taken per group against
// the codes (sum(dW * q)) or alone (sum(dW)).
array GatherQMM::scales_or_biases_grad(const std::vector<array>& primals, const array& g, bool scales) const {
  const size_t n = primals.size();
  const array& x = primals[0];
  const array& wq = primals[1];
  const array& s = primals[2];
  const array& lhs = primals[n - 2];
  const array& rhs = primals[n - 1];
  const int M = x.shape(-2), K = x.shape(-1), N = g.shape(-1);
  array xs = take(reshape(x, {-1, M, K}), flatten(lhs), 0);
  array gs = reshape(g, {-1, M, N});
  array dwp = transpose_ ? matmul(swapaxes(gs, -1, -2), xs) : matmul(swapaxes(xs, -1, -2), gs);
  const int R = wq.shape(-2), C = dwp.shape(-1);
  array dw = zeros({int32_t(int64_t(wq.size()) / std::max<int64_t>(int64_t(wq.shape(-1)) * R, 1)), R, C}, dwp.dtype());
  dw = scatter_add(dw, {flatten(rhs)}, expand_dims(dwp, {1}), {0});
  if (scales) {
    array w3 = reshape(wq, {-1, R, wq.shape(-1)});
    Shape s3{w3.shape(0), R, s.shape(-1)};
    array q = dequantize(w3, ones(s3, dw.dtype()), zeros(s3, dw.dtype()), group_size_, bits_, "affine");
    dw = multiply(dw, q);
  }
  array per_group = sum(reshape(dw, {dw.shape(0), R, C / group_size_, group_size_}), std::vector<int>{-1});
  return astype(reshape(per_group, s.shape()), s.dtype());
}

void GatherQMM::eval(const std::vector<array>& in, array& out) {
  bool affine = is_affine(mode_);
  const array& lhs = in[in.size() - 2];
  const array& rhs = in[in.size() - 1];
  gather_qmm_eval(in[0], in[1], in[2], affine ? &in[3] : nullptr, lhs, rhs, group_size_, bits_, affine, transpose_,
                  out);
}

std::vector<array> GatherQMM::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                  const std::vector<int>& argnums, const std::vector<array>&) {
  const size_t n = primals.size();
  const array& x = primals[0];
  const array& lhs = primals[n - 2];
  const array& rhs = primals[n - 1];
  std::optional<array> biases;
  if (is_affine(mode_)) biases = primals[3];
  std::vector<array> out;
  for (int a : argnums) {
    if (a == 0) {
      // dx[lhs[i]] += g[i] @ W[rhs[i]] (the product transposed), summed over repeated indices.
      array gx = gather_qmm(cotangents[0], primals[1], primals[2], biases, std::nullopt, rhs, !transpose_, group_size_,
                            bits_, quantization_mode_name(mode_));
      int M = x.shape(-2), K = x.shape(-1);
      array acc = zeros({int32_t(int64_t(x.size()) / std::max<int64_t>(int64_t(M) * K, 1)), M, K}, x.dtype());
      acc = scatter_add(acc, {lhs}, expand_dims(gx, {-3}), {0});
      out.push_back(reshape(acc, x.shape()));
    } else if (a >= int(n) - 2) {
      throw std::invalid_argument("[GatherQMM::vjp] cannot compute the gradient wrt the indices.");
    } else if (is_affine(mode_) && (a == 2 || a == 3)) {
      out.push_back(scales_or_biases_grad(primals, cotangents[0], a == 2));
    } else {
      throw std::invalid_argument("[GatherQMM::vjp] no gradient wrt the quantized matrix yet.");
    }
  }
  return out;
}

std::vector<array> GatherQMM::jvp(const std::vector<array>&, const std::vector<array>&, const std::vector<int>&) {
  throw std::invalid_argument("[GatherQMM::jvp] NYI");
}

std::pair<std::vector<array>, std::vector<int>> GatherQMM::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  // The mapped axis becomes one more batch entry of x and of the weights: each index i of
  // the batch element v points at matrix v * B + i of the folded batch (B matrices per
  // element), and the indices get the mapped axis in front.
  const size_t n = in.size();
  const bool affine = is_affine(mode_);
  const size_t nw = affine ? 3 : 2;  // weights, scales, biases
  int V = 0;
  for (size_t i = 0; i < n; ++i) {
    if (axes[i] >= 0) V = in[i].shape(axes[i]);
  }
  auto per_element_shape = [&](size_t i) {
    Shape s = in[i].shape();
    if (axes[i] >= 0) s.erase(s.begin() + axes[i]);
    return s;
  };
  Shape S = broadcast_shapes(per_element_shape(n - 2), per_element_shape(n - 1), "gather_qmm");
  auto batched_indices = [&](size_t i) {
    array idx = astype(in[i], Dtype::uint32);
    if (axes[i] >= 0) {
      idx = vmap_util::move_axis(idx, axes[i], 0);
    } else {
      idx = expand_dims(idx, {0});
    }
    // [V or 1, ...] -> [V or 1, S...]: the element's indices broadcast to their common shape
    Shape want = S;
    want.insert(want.begin(), idx.shape(0));
    Shape cur(idx.shape().begin() + 1, idx.shape().end());
    while (cur.size() < S.size()) cur.insert(cur.begin(), 1);
    cur.insert(cur.begin(), idx.shape(0));
    return broadcast_to(reshape(idx, cur), want);
  };
  // i -> v * per + i for batch element v (the indices have the mapped axis in front)
  auto shifted = [&](const array& idx, int64_t per) {
    Shape s(S.size() + 1, 1);
    s[0] = V;
    array off = multiply(arange(0, V, 1, Dtype::uint32), array::scalar(double(per), Dtype::uint32));
    return add(idx, reshape(off, s));
  };
  array lhs = batched_indices(n - 2), rhs = batched_indices(n - 1);
  array x = in[0];
  if (axes[0] >= 0) {
    x = vmap_util::move_axis(x, axes[0], 0);
    int M = x.shape(-2), K = x.shape(-1);
    int64_t per = int64_t(x.size()) / std::max<int64_t>(int64_t(M) * K, 1) / std::max(V, 1);
    x = reshape(x, {-1, M, K});
    lhs = shifted(lhs, per);
  }
  std::vector<array> ws(in.begin() + 1, in.begin() + 1 + nw);
  std::vector<int> waxes(axes.begin() + 1, axes.begin() + 1 + nw);
  bool w_mapped = false;
  for (int a : waxes) w_mapped = w_mapped || a >= 0;
  if (w_mapped) {
    vmap_util::to_front_all(ws, waxes);
    int64_t per = int64_t(ws[0].size()) / std::max<int64_t>(int64_t(ws[0].shape(-2)) * ws[0].shape(-1), 1) /
                  std::max(V, 1);
    for (auto& a : ws) a = reshape(a, {-1, a.shape(-2), a.shape(-1)});
    rhs = shifted(rhs, per);
  }
  std::optional<array> biases;
  if (affine) biases = ws[2];
  array y = gather_qmm(x, ws[0], ws[1], biases, lhs, rhs, transpose_, group_size_, bits_, quantization_mode_name(mode_));
  return {{y}, {0}};
}

bool GatherQMM::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const GatherQMM*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_ && o->mode_ == mode_ && o->transpose_ == transpose_;
}

std::vector<Shape> GatherQMM::output_shapes(const std::vector<array>& in) {
  Shape s = in[in.size() - 2].shape();
  s.push_back(in[0].shape(-2));
  s.push_back(transpose_ ? in[1].shape(-2) : int32_t(int64_t(in[1].shape(-1)) * 32 / bits_));
  return {s};
}

}  // namespace mlx

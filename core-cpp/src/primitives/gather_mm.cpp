#include "primitives/gather_mm.h"

#include <stdexcept>

#include "backend/cpu/gather_mm.h"
#include "ops.h"
#include "ops/gather_mm.h"

namespace mlx {

namespace {

array mT(const array& x) { return swapaxes(x, -1, -2); }

// `parts` (S + [r, c], one matrix per index) summed into the matrices of `like` (batch + [r, c])
// they were taken from: a scatter-add over the flattened batch.
array scatter_back(const array& parts, const array& indices, const array& like) {
  int r = like.shape(-2), c = like.shape(-1);
  int batch = static_cast<int>(like.size() / (size_t(r) * size_t(c)));
  if (like.size() == 0) return zeros_like(like);
  int q = static_cast<int>(indices.size());
  array flat = reshape(parts, {q, 1, r, c});
  array acc = scatter_add(zeros({batch, r, c}, parts.dtype()), {reshape(indices, {q})}, flat, {0});
  return reshape(acc, like.shape());
}

array tangent_or_none(const std::vector<array>& tan, const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k)
    if (argnums[k] == i) return tan[k];
  return array();
}

[[noreturn]] void no_index_grad(const char* op) {
  throw std::invalid_argument(std::string("[") + op + "] Cannot calculate VJP with respect to indices.");
}

}  // namespace

void GatherMM::eval(const std::vector<array>& in, array& out) { gather_mm_eval(in[0], in[1], in[2], in[3], out); }

// out[q] = A[i_q] B[j_q]: dA[l] = sum over q with i_q = l of G_q B[j_q]^T, and
// dB[l] = sum over q with j_q = l of A[i_q]^T G_q (repeated indices accumulate).
std::vector<array> GatherMM::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                 const std::vector<int>& argnums, const std::vector<array>&) {
  const array &a = primals[0], &b = primals[1], &lhs = primals[2], &rhs = primals[3];
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) out.push_back(scatter_back(gather_mm(cot[0], mT(b), std::nullopt, rhs), lhs, a));
    else if (i == 1) out.push_back(scatter_back(gather_mm(mT(a), cot[0], lhs, std::nullopt), rhs, b));
    else no_index_grad("gather_mm");
  }
  return out;
}

// Bilinear: d(out) = gather_mm(dA, B) + gather_mm(A, dB) with the same indices.
std::vector<array> GatherMM::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                 const std::vector<int>& argnums) {
  for (int i : argnums)
    if (i > 1) no_index_grad("gather_mm");
  array ta = tangent_or_none(tan, argnums, 0), tb = tangent_or_none(tan, argnums, 1);
  const array &lhs = primals[2], &rhs = primals[3];
  array r;
  if (ta.valid()) r = gather_mm(ta, primals[1], lhs, rhs);
  if (tb.valid()) {
    array t = gather_mm(primals[0], tb, lhs, rhs);
    r = r.valid() ? add(r, t) : t;
  }
  return {r};
}

void SegmentedMM::eval(const std::vector<array>& in, array& out) { segmented_mm_eval(in[0], in[1], in[2], out); }

namespace {

// [Q, K] (float, of dtype t): 1 where s_q <= k < e_q, the inner positions segment q covers.
array segment_masks(const array& segments, int k, Dtype t) {
  int q = static_cast<int>(segments.size() / 2);
  array seg = astype(reshape(segments, {q, 2}), Dtype::int64);
  array pos = reshape(arange(0, k, 1, Dtype::int64), {1, k});
  array s = slice(seg, {0, 0}, {q, 1}), e = slice(seg, {0, 1}, {q, 2});
  return astype(logical_and(greater_equal(pos, s), less(pos, e)), t);
}

}  // namespace

// out[q] = A[:, s:e] B[s:e, :]: dA = sum_q (G_q B^T) masked to columns s:e, and
// dB = sum_q (A^T G_q) masked to rows s:e.
std::vector<array> SegmentedMM::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                    const std::vector<int>& argnums, const std::vector<array>&) {
  const array &a = primals[0], &b = primals[1];
  int m = a.shape(0), k = a.shape(1), n = b.shape(1);
  int q = static_cast<int>(primals[2].size() / 2);
  array g = reshape(cot[0], {q, m, n});
  array mask = segment_masks(primals[2], k, a.dtype());
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) out.push_back(sum(multiply(matmul(g, mT(b)), expand_dims(mask, {1})), std::vector<int>{0}));
    else if (i == 1) out.push_back(sum(multiply(matmul(mT(a), g), expand_dims(mask, {2})), std::vector<int>{0}));
    else throw std::invalid_argument("[segmented_mm] Cannot calculate VJP with respect to segments.");
  }
  return out;
}

std::vector<array> SegmentedMM::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                    const std::vector<int>& argnums) {
  for (int i : argnums)
    if (i > 1) throw std::invalid_argument("[segmented_mm] Cannot calculate JVP with respect to segments.");
  array ta = tangent_or_none(tan, argnums, 0), tb = tangent_or_none(tan, argnums, 1);
  array r;
  if (ta.valid()) r = segmented_mm(ta, primals[1], primals[2]);
  if (tb.valid()) {
    array t = segmented_mm(primals[0], tb, primals[2]);
    r = r.valid() ? add(r, t) : t;
  }
  return {r};
}

}  // namespace mlx

#include "ops/gather_mm.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives/gather_mm.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// MLX's operand checks shared by the three ops: at least 1-D, vectors made matrices (a row
// for a, a column for b), inner dimensions equal, a real floating result type.
Dtype check_operands(array& a, array& b, const char* op) {
  if (a.ndim() == 0 || b.ndim() == 0) fail(op, "Got 0 dimension input. Inputs must have at least one dimension.");
  if (a.ndim() == 1) a = expand_dims(a, {0});
  if (b.ndim() == 1) b = expand_dims(b, {1});
  if (a.shape(-1) != b.shape(-2)) {
    fail(op, "Last dimension of first input with shape " + shape_string(a.shape()) +
                 " must match second to last dimension of second input with shape " + shape_string(b.shape()) + ".");
  }
  Dtype t = promote_types(a.dtype(), b.dtype());
  if (!is_floating(t)) {
    fail(op, std::string("Only real floating point types are supported but ") + dtype_name(a.dtype()) + " and " +
                 dtype_name(b.dtype()) + " were provided which results in " + dtype_name(t) +
                 ", which is not a real floating point type.");
  }
  return t;
}

// The batch of x's matrices numbered in row order and shaped as x's batch axes.
array default_indices(const array& x) {
  Shape batch(x.shape().begin(), x.shape().end() - 2);
  return reshape(arange(0, double(shape_size(batch)), 1, Dtype::uint32), batch);
}

// Drops the axes a 1-D a (row) or b (column) gained.
array squeeze_vectors(const array& out, int a_ndim, int b_ndim) {
  std::vector<int> axes;
  if (a_ndim == 1) axes.push_back(out.ndim() - 2);
  if (b_ndim == 1) axes.push_back(out.ndim() - 1);
  return axes.empty() ? out : squeeze(out, axes);
}

// A block mask [..., tiles_r, tiles_c] spread over the r x c elements it covers.
array expand_mask(const array& mask, int block, int r, int c) {
  array m = repeat(repeat(mask, block, -2), block, -1);
  Shape lo(m.ndim(), 0);
  Shape hi = m.shape();
  hi[hi.size() - 2] = r;
  hi[hi.size() - 1] = c;
  return slice(m, std::vector<int32_t>(lo.begin(), lo.end()), std::vector<int32_t>(hi.begin(), hi.end()));
}

// x with a block mask applied: a bool mask zeroes the blocks it leaves out, a float mask
// scales each block by its value.
array apply_mask(const array& x, const array& mask, int block) {
  array m = expand_mask(mask, block, x.shape(-2), x.shape(-1));
  if (mask.dtype() == Dtype::bool_) return where(m, x, array::scalar(0.0, x.dtype()));
  return multiply(x, m);
}

}  // namespace

array gather_mm(array a, array b, std::optional<array> lhs_in, std::optional<array> rhs_in, bool sorted) {
  if (!lhs_in && !rhs_in) return matmul(a, b);
  int a_ndim = a.ndim(), b_ndim = b.ndim();
  Dtype t = check_operands(a, b, "gather_mm");
  a = astype(a, t);
  b = astype(b, t);
  array lhs = lhs_in ? *lhs_in : default_indices(a);
  array rhs = rhs_in ? *rhs_in : default_indices(b);
  if (!is_integral(lhs.dtype())) fail("gather_mm", "Got lhs_indices with invalid dtype. Indices must be integral.");
  if (!is_integral(rhs.dtype())) fail("gather_mm", "Got rhs_indices with invalid dtype. Indices must be integral.");
  auto idx = broadcast_arrays({astype(lhs, Dtype::uint32), astype(rhs, Dtype::uint32)});
  Shape out_shape = idx[0].shape();
  out_shape.push_back(a.shape(-2));
  out_shape.push_back(b.shape(-1));
  array out(std::move(out_shape), t, std::make_shared<GatherMM>(sorted && !rhs_in, sorted && !lhs_in),
            {a, b, idx[0], idx[1]});
  return squeeze_vectors(out, a_ndim, b_ndim);
}

array segmented_mm(array a, array b, array segments) {
  if (a.ndim() != 2 || b.ndim() != 2) fail("segmented_mm", "Batched matmul not supported");
  if (segments.ndim() < 1 || segments.shape(-1) != 2) {
    fail("segmented_mm", "The segments should have shape (..., 2) but " + shape_string(segments.shape()) +
                             " was provided.");
  }
  Dtype t = check_operands(a, b, "segmented_mm");
  if (!is_integral(segments.dtype())) fail("segmented_mm", "Got segments with invalid dtype. Segments must be integral.");
  Shape out_shape(segments.shape().begin(), segments.shape().end() - 1);
  out_shape.push_back(a.shape(0));
  out_shape.push_back(b.shape(1));
  return array(std::move(out_shape), t, std::make_shared<SegmentedMM>(),
               {astype(a, t), astype(b, t), astype(segments, Dtype::uint32)});
}

array block_masked_mm(array a, array b, int block_size, std::optional<array> mask_out, std::optional<array> mask_lhs,
                      std::optional<array> mask_rhs) {
  if (!mask_out && !mask_lhs && !mask_rhs) return matmul(a, b);
  if (block_size != 32 && block_size != 64) {
    fail("block_masked_mm", "Only block_sizes 32, 64 are supported.Got block size " + std::to_string(block_size) + ".");
  }
  int a_ndim = a.ndim(), b_ndim = b.ndim();
  Dtype t = check_operands(a, b, "block_masked_mm");
  a = astype(a, t);
  b = astype(b, t);
  Shape batch = broadcast_shapes(Shape(a.shape().begin(), a.shape().end() - 2),
                                 Shape(b.shape().begin(), b.shape().end() - 2), "block_masked_mm");
  int M = a.shape(-2), N = b.shape(-1), K = a.shape(-1);
  int tm = (M + block_size - 1) / block_size, tn = (N + block_size - 1) / block_size,
      tk = (K + block_size - 1) / block_size;
  // Each mask as MLX prepares it: 1-D operands give it the same singleton axis, then it is
  // broadcast to batch + [tiles, tiles]; a float mask (or a bool one next to a float one, for
  // the operand pair) is cast to the result type.
  auto prepare = [&](array m, int r, int c, bool as_bool) {
    Shape s = batch;
    s.push_back(r);
    s.push_back(c);
    return broadcast_to(astype(m, as_bool ? Dtype::bool_ : t), s);
  };
  Shape ab = batch, bb = batch;
  ab.insert(ab.end(), {M, K});
  bb.insert(bb.end(), {K, N});
  a = broadcast_to(a, ab);
  b = broadcast_to(b, bb);
  if (mask_lhs || mask_rhs) {
    array l = mask_lhs.value_or(array::scalar(1.0, Dtype::bool_));
    array r = mask_rhs.value_or(array::scalar(1.0, Dtype::bool_));
    bool as_bool = l.dtype() == Dtype::bool_ && r.dtype() == Dtype::bool_;
    if (a_ndim == 1 && mask_lhs) l = expand_dims(l, {-2});
    if (b_ndim == 1 && mask_rhs) r = expand_dims(r, {-1});
    a = apply_mask(a, prepare(l, tm, tk, as_bool), block_size);
    b = apply_mask(b, prepare(r, tk, tn, as_bool), block_size);
  }
  array out = matmul(a, b);
  if (mask_out) {
    array m = *mask_out;
    std::vector<int> ex;
    if (a_ndim == 1) ex.push_back(-2);
    if (b_ndim == 1) ex.push_back(-1);
    if (!ex.empty()) m = expand_dims(m, ex);
    out = apply_mask(out, prepare(m, tm, tn, m.dtype() == Dtype::bool_), block_size);
  }
  return squeeze_vectors(out, a_ndim, b_ndim);
}

}  // namespace mlx

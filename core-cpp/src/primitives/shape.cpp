#include "primitives/shape.h"

#include <algorithm>
#include <stdexcept>

#include "allocator.h"
#include "backend/cpu/copy.h"
#include "ops.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

// Where each input starts along the axis of concatenation.
std::vector<int32_t> offsets_of(const std::vector<array>& xs, int axis) {
  std::vector<int32_t> off{0};
  for (auto& x : xs) off.push_back(off.back() + x.shape(axis));
  return off;
}

}  // namespace

void Diagonal::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  int64_t r0 = std::max<int64_t>(0, -int64_t(offset_)), c0 = std::max<int64_t>(0, offset_);
  Strides st;
  for (int i = 0; i < x.ndim(); ++i)
    if (i != axis1_ && i != axis2_) st.push_back(x.strides(i));
  st.push_back(x.strides(axis1_) + x.strides(axis2_));
  // The span the view covers decides its flags; negative strides (a flipped input) never
  // count as contiguous, as in Slice.
  int64_t last = 0;
  bool positive = true;
  for (int i = 0; i < out.ndim(); ++i) {
    if (out.shape(i) > 1) {
      positive = positive && st[i] >= 0;
      last += int64_t(out.shape(i) - 1) * st[i];
    }
  }
  size_t size = out.size();
  size_t span = size == 0 ? 0 : positive ? size_t(last + 1) : size + 1;
  Flags flags = layout_flags(out.shape(), st, span);
  if (!positive) flags.contiguous = flags.row_contiguous = flags.col_contiguous = false;
  int64_t start = size == 0 ? 0 : r0 * x.strides(axis1_) + c0 * x.strides(axis2_);
  out.copy_shared_buffer(x, std::move(st), flags, span, start);
}

std::vector<array> Diagonal::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                 const std::vector<int>&, const std::vector<array>&) {
  // The cotangent written onto the diagonal of zeros shaped like the input: with the two
  // axes last and merged, the diagonal is every (n2 + 1)-th element from r0 * n2 + c0.
  const array& x = primals[0];
  const array& c = cot[0];
  int nd = x.ndim();
  std::vector<int> perm;
  for (int i = 0; i < nd; ++i)
    if (i != axis1_ && i != axis2_) perm.push_back(i);
  perm.push_back(axis1_);
  perm.push_back(axis2_);
  int64_t n1 = x.shape(axis1_), n2 = x.shape(axis2_);
  int64_t len = c.shape(-1);
  if (len == 0 || c.size() == 0) return {zeros_like(x)};
  Shape merged(c.shape().begin(), c.shape().end() - 1);
  merged.push_back(int32_t(n1 * n2));
  int64_t first = std::max<int64_t>(0, -int64_t(offset_)) * n2 + std::max<int64_t>(0, offset_);
  std::vector<int32_t> start(merged.size(), 0), stop(merged.begin(), merged.end()), steps(merged.size(), 1);
  start.back() = int32_t(first);
  stop.back() = int32_t(first + (len - 1) * (n2 + 1) + 1);
  steps.back() = int32_t(n2 + 1);
  array flat = slice_update(zeros(merged, c.dtype()), c, start, stop, steps);
  Shape planes(merged.begin(), merged.end() - 1);
  planes.push_back(int32_t(n1));
  planes.push_back(int32_t(n2));
  std::vector<int> inverse(nd);
  for (int i = 0; i < nd; ++i) inverse[perm[i]] = i;
  return {transpose(reshape(flat, planes), inverse)};
}

std::vector<array> Diagonal::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {diagonal(tan[0], offset_, axis1_, axis2_)};
}

void Concatenate::eval(const std::vector<array>& in, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  std::vector<int32_t> off = offsets_of(in, axis_);
  for (size_t i = 0; i < in.size(); ++i) {
    const array& x = in[i];
    if (x.size() == 0) continue;
    // A view of out's region for input i: out's strides, shifted start, x's shape. Its span
    // (data_size) is what layout_flags needs to tell whether the region has no gaps.
    int64_t last = 0;
    for (int d = 0; d < x.ndim(); ++d) last += int64_t(x.shape(d) - 1) * out.strides(d);
    size_t span = size_t(last + 1);
    array region(x.shape(), out.dtype(), nullptr, {});
    region.copy_shared_buffer(out, out.strides(), layout_flags(x.shape(), out.strides(), span), span,
                              int64_t(off[i]) * out.strides(axis_));
    copy_general(x, region);
  }
}

std::vector<array> Concatenate::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                    const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<int32_t> off = offsets_of(primals, axis_);
  std::vector<array> grads;
  for (int i : argnums) grads.push_back(slice_axis(cot[0], axis_, off[i], off[i + 1]));
  return grads;
}

std::vector<array> Concatenate::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                    const std::vector<int>& argnums) {
  std::vector<array> parts;
  for (auto& p : primals) parts.push_back(zeros_like(p));
  for (size_t k = 0; k < argnums.size(); ++k) parts[argnums[k]] = tan[k];
  return {concatenate(parts, axis_)};
}

// ---- vmap rules: the batch axis goes to the front, the op's axes shift past it ----------

std::pair<std::vector<array>, std::vector<int>> Diagonal::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  // diagonal keeps the other axes in order before the diagonal: the batch axis stays first.
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  return {{diagonal(x, offset_, axis1_ + 1, axis2_ + 1)}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> Concatenate::vmap(const std::vector<array>& in_,
                                                                  const std::vector<int>& axes) {
  // Unbatched inputs are the same for every batch element: broadcast them along the batch.
  std::vector<array> in = in_;
  vmap_util::to_front_all(in, axes);
  return {{concatenate(in, axis_ + 1)}, {0}};
}

// ---- views: reshape, transpose, broadcast, view ----------------------------------------

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

void Reshape::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  if (x.flags().row_contiguous) {
    out.copy_shared_buffer(x, row_strides(out.shape()), Flags{}, x.data_size());
    return;
  }
  // A strided input is laid out in row order first; the reshape is then a view.
  array tmp = array::empty(x.shape(), x.dtype());
  copy_general(x, tmp);
  out.copy_shared_buffer(tmp, row_strides(out.shape()), Flags{}, tmp.data_size());
}
std::vector<array> Reshape::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                const std::vector<int>&, const std::vector<array>&) {
  return {reshape(cot[0], primals[0].shape())};
}
std::vector<array> Reshape::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {reshape(tan[0], requested_)};
}
VmapResult Reshape::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  Shape s = requested_;
  s.insert(s.begin(), x.shape(0));
  return {{reshape(x, s)}, {0}};
}

std::vector<Shape> Reshape::output_shapes(const std::vector<array>& inputs) {
  return {reshape_shape(inputs[0].size(), requested_)};
}

std::vector<Shape> Transpose::output_shapes(const std::vector<array>& inputs) {
  Shape s;
  for (int a : axes_) s.push_back(inputs[0].shape(a));
  return {s};
}

void Transpose::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  Strides st(axes_.size());
  for (size_t i = 0; i < axes_.size(); ++i) st[i] = x.strides(axes_[i]);
  Flags f = layout_flags(out.shape(), st, x.data_size());
  out.copy_shared_buffer(x, st, f, x.data_size());
}
std::vector<array> Transpose::vjp(const std::vector<array>&, const std::vector<array>& cot,
                                  const std::vector<int>&, const std::vector<array>&) {
  std::vector<int> inverse(axes_.size());
  for (size_t i = 0; i < axes_.size(); ++i) inverse[axes_[i]] = static_cast<int>(i);
  return {transpose(cot[0], inverse)};
}
std::vector<array> Transpose::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                  const std::vector<int>&) {
  return {transpose(tan[0], axes_)};
}
VmapResult Transpose::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  std::vector<int> perm{0};
  for (int a : axes_) perm.push_back(a + 1);
  return {{transpose(x, perm)}, {0}};
}

std::vector<Shape> Broadcast::output_shapes(const std::vector<array>& inputs) {
  const array& x = inputs[0];
  Shape out = shape_;
  int diff = static_cast<int>(shape_.size()) - x.ndim();
  bool ok = diff >= 0 && static_cast<int>(in_shape_.size()) == x.ndim();
  for (int j = 0; ok && j < x.ndim(); ++j) {
    int i = diff + j;
    bool broadcast_dim = in_shape_[j] == 1 && shape_[i] != 1;
    if (!broadcast_dim) out[i] = x.shape(j);
    else ok = x.shape(j) == 1 || x.shape(j) == shape_[i];
  }
  if (!ok) {
    throw std::invalid_argument("[broadcast_to] Cannot broadcast array of shape " + shape_string(x.shape()) +
                                " into shape " + shape_string(shape_) + ".");
  }
  return {out};
}

void Broadcast::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  int diff = out.ndim() - x.ndim();
  Strides st(out.ndim(), 0);
  for (int i = 0; i < x.ndim(); ++i) {
    st[diff + i] = (x.shape(i) == 1 && out.shape(diff + i) != 1) ? 0 : x.strides(i);
  }
  Flags f = layout_flags(out.shape(), st, x.data_size());
  out.copy_shared_buffer(x, st, f, x.data_size());
}
std::vector<array> Broadcast::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                  const std::vector<int>&, const std::vector<array>&) {
  return {sum_to_shape(cot[0], primals[0].shape())};
}
std::vector<array> Broadcast::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                  const std::vector<int>&) {
  return {broadcast_to(tan[0], shape_)};
}
VmapResult Broadcast::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  // Align the unbatched part to the right of the target shape, then broadcast.
  Shape s = x.shape();
  int missing = static_cast<int>(shape_.size()) - (x.ndim() - 1);
  s.insert(s.begin() + 1, missing, 1);
  Shape target = shape_;
  target.insert(target.begin(), x.shape(0));
  return {{broadcast_to(reshape(x, s), target)}, {0}};
}

void View::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  // A row-contiguous input is shared as it is; anything else is laid out in row order first.
  array src = x.flags().row_contiguous ? x : x.converted(x.dtype());
  size_t bytes = src.data_size() * src.itemsize();
  out.copy_shared_buffer(src, row_strides(out.shape()), Flags{}, bytes / out.itemsize());
}
VmapResult View::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  // The batch axis goes first so that the last axis, whose length may change, is untouched.
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  if (x.ndim() == 1 && x.itemsize() != size_of(dtype_)) {
    throw std::invalid_argument("[view] Cannot view 0-dimensional elements as a dtype of another size.");
  }
  return {{view(x, dtype_)}, {0}};
}

}  // namespace mlx

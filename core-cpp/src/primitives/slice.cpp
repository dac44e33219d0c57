#include "primitives/slice.h"

#include "backend/cpu/copy.h"
#include "ops.h"
#include "ops/slice.h"

namespace mlx {

namespace {

// The layout of the region (start, strides) of `x` as a view: element offset and strides.
// Spans are computed so that only views with no gaps count as contiguous.
struct View {
  int64_t offset = 0;
  Strides strides;
  size_t data_size = 0;
  Flags flags;
};

View region_view(const array& x, const Shape& shape, const std::vector<int32_t>& start,
                 const std::vector<int32_t>& steps) {
  View v;
  bool positive = true;
  int64_t last = 0;
  for (int i = 0; i < x.ndim(); ++i) {
    v.offset += int64_t(start[i]) * x.strides(i);
    int64_t st = x.strides(i) * steps[i];
    v.strides.push_back(st);
    if (shape[i] > 1) {
      positive = positive && st >= 0;
      last += (shape[i] - 1) * st;
    }
  }
  size_t size = shape_size(shape);
  // Negative strides never count as contiguous (the first element is not the lowest address).
  v.data_size = size == 0 ? 0 : positive ? size_t(last + 1) : size + 1;
  v.flags = layout_flags(shape, v.strides, v.data_size);
  if (!positive) v.flags.contiguous = v.flags.row_contiguous = v.flags.col_contiguous = false;
  return v;
}

std::vector<int32_t> stops_of(const Shape& shape, const std::vector<int32_t>& start,
                              const std::vector<int32_t>& steps) {
  // A stop that reproduces `shape` elements from start with steps (for re-slicing in grads).
  std::vector<int32_t> stop;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t e = int64_t(start[i]) + int64_t(shape[i]) * steps[i];
    stop.push_back(static_cast<int32_t>(steps[i] < 0 && e < 0 ? -int64_t(1) << 30 : e));
  }
  return stop;
}

}  // namespace

std::vector<int32_t> Slice::reslice_stop() const {
  // A normalised stop of -1 with a negative step means "before 0"; slice() would read it
  // as the last element, so pass a stop far below 0 instead.
  std::vector<int32_t> stop = stop_;
  for (size_t i = 0; i < stop.size(); ++i)
    if (strides_[i] < 0 && stop[i] < 0) stop[i] = -(int32_t(1) << 30);
  return stop;
}

void Slice::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  View v = region_view(x, out.shape(), start_, strides_);
  out.copy_shared_buffer(x, v.strides, v.flags, v.data_size, v.offset);
}

void SliceUpdate::eval(const std::vector<array>& in, array& out) {
  const array& src = in[0];
  const array& upd = in[1];
  copy_or_donate(src, out);
  if (upd.size() == 0) return;
  array region(upd.shape(), out.dtype(), nullptr, {});
  View v = region_view(out, upd.shape(), start_, strides_);
  region.copy_shared_buffer(out, v.strides, v.flags, v.data_size, v.offset);
  copy_general(upd, region);
}

std::vector<array> Slice::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                              const std::vector<int>&, const std::vector<array>&) {
  const array& x = primals[0];
  return {slice_update(zeros_like(x), cot[0], start_, stops_of(cot[0].shape(), start_, strides_), strides_)};
}
std::vector<array> Slice::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {slice(tan[0], start_, reslice_stop(), strides_)};
}

std::vector<array> SliceUpdate::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                    const std::vector<int>& argnums, const std::vector<array>&) {
  const array& upd = primals[1];
  std::vector<int32_t> stop = stops_of(upd.shape(), start_, strides_);
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) {
      out.push_back(slice_update(cot[0], zeros_like(upd), start_, stop, strides_));
    } else {
      out.push_back(slice(cot[0], start_, stop, strides_));
    }
  }
  return out;
}
std::vector<array> SliceUpdate::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                    const std::vector<int>& argnums) {
  const array& src = primals[0];
  const array& upd = primals[1];
  array t_src = zeros_like(src), t_upd = zeros_like(upd);
  for (size_t k = 0; k < argnums.size(); ++k) (argnums[k] == 0 ? t_src : t_upd) = tan[k];
  return {slice_update(t_src, t_upd, start_, stops_of(upd.shape(), start_, strides_), strides_)};
}

}  // namespace mlx

// ---- vmap rules: the batch axis goes to the front and is sliced whole ----------------------

#include "transforms/vmap.h"

namespace mlx {

namespace {
template <typename T>
std::vector<T> with_front(T first, std::vector<T> rest) {
  rest.insert(rest.begin(), first);
  return rest;
}
}  // namespace

std::pair<std::vector<array>, std::vector<int>> Slice::vmap(const std::vector<array>& in,
                                                            const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  int n = x.shape(0);
  return {{slice(x, with_front(0, start_), with_front(n, reslice_stop()), with_front(1, strides_))}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> SliceUpdate::vmap(const std::vector<array>& in_,
                                                                  const std::vector<int>& axes) {
  std::vector<array> in = in_;
  int n = vmap_util::to_front(in, axes);
  for (int i = 0; i < 2; ++i)
    if (axes[i] < 0) in[i] = vmap_util::batch_broadcast(in[i], n);
  // The update (now batched) covers the region exactly: its shape without the batch axis.
  Shape region(in[1].shape().begin() + 1, in[1].shape().end());
  std::vector<int32_t> stop = with_front(n, stops_of(region, start_, strides_));
  return {{slice_update(in[0], in[1], with_front(0, start_), stop, with_front(1, strides_))}, {0}};
}

}  // namespace mlx

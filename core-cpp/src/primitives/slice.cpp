#include "primitives/slice.h"

#include <stdexcept>

#include "backend/cpu/copy.h"
#include "backend/cpu/dispatch.h"
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

// The start of every axis of `x` for a region of `shape`: the values of `start` (any
// integer dtype and layout) on `axes`, clamped so the region fits; 0 on the other axes.
static std::vector<int32_t> dynamic_start(const array& x, const Shape& shape, const array& start,
                                   const std::vector<int>& axes) {
  std::vector<int32_t> out(x.ndim(), 0);
  dispatch_all(start.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    const T* p = start.data<T>();
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t off = 0;
      if (start.ndim() == 1) off = int64_t(i) * start.strides(0);
      int64_t v = convert<int64_t>(p[off]);
      int ax = axes[i];
      int64_t hi = int64_t(x.shape(ax)) - shape[ax];
      out[ax] = static_cast<int32_t>(std::max<int64_t>(0, std::min<int64_t>(v, hi)));
    }
  });
  return out;
}

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

void DynamicSlice::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  std::vector<int32_t> start = dynamic_start(x, out.shape(), in[1], axes_);
  View v = region_view(x, out.shape(), start, std::vector<int32_t>(x.ndim(), 1));
  out.copy_shared_buffer(x, v.strides, v.flags, v.data_size, v.offset);
}

void DynamicSliceUpdate::eval(const std::vector<array>& in, array& out) {
  const array& upd = in[1];
  copy_or_donate(in[0], out);
  if (upd.size() == 0) return;
  std::vector<int32_t> start = dynamic_start(out, upd.shape(), in[2], axes_);
  array region(upd.shape(), out.dtype(), nullptr, {});
  View v = region_view(out, upd.shape(), start, std::vector<int32_t>(out.ndim(), 1));
  region.copy_shared_buffer(out, v.strides, v.flags, v.data_size, v.offset);
  copy_general(upd, region);
}

namespace {
[[noreturn]] void no_start_grad(const char* op) {
  throw std::invalid_argument(std::string("[") + op + "] Cannot calculate VJP with respect to the start indices.");
}
}  // namespace

std::vector<array> DynamicSlice::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                     const std::vector<int>& argnums, const std::vector<array>&) {
  for (int i : argnums)
    if (i != 0) no_start_grad("slice");
  return {slice_update_dynamic(zeros_like(primals[0]), cot[0], primals[1], axes_)};
}
std::vector<array> DynamicSlice::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                     const std::vector<int>& argnums) {
  for (int i : argnums)
    if (i != 0) no_start_grad("slice");
  return {slice_dynamic(tan[0], primals[1], axes_, size_)};
}

std::vector<array> DynamicSliceUpdate::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                           const std::vector<int>& argnums, const std::vector<array>&) {
  const array& upd = primals[1];
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) out.push_back(slice_update_dynamic(cot[0], zeros_like(upd), primals[2], axes_));
    else if (i == 1) out.push_back(slice_dynamic(cot[0], primals[2], axes_, upd.shape()));
    else no_start_grad("slice_update");
  }
  return out;
}
std::vector<array> DynamicSliceUpdate::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                           const std::vector<int>& argnums) {
  array t_src = zeros_like(primals[0]), t_upd = zeros_like(primals[1]);
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == 2) no_start_grad("slice_update");
    (argnums[k] == 0 ? t_src : t_upd) = tan[k];
  }
  return {slice_update_dynamic(t_src, t_upd, primals[2], axes_)};
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

// With unbatched start indices the batch axis is one more axis sliced whole; batched starts
// take the per-element fallback (each element has its own region).
std::pair<std::vector<array>, std::vector<int>> DynamicSlice::vmap(const std::vector<array>& in,
                                                                   const std::vector<int>& axes) {
  if (axes[1] >= 0) return Primitive::vmap(in, axes);
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  std::vector<int> ax = axes_;
  for (int& a : ax) ++a;
  Shape size = size_;
  size.insert(size.begin(), x.shape(0));
  return {{slice_dynamic(x, in[1], ax, size)}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> DynamicSliceUpdate::vmap(const std::vector<array>& in_,
                                                                         const std::vector<int>& axes) {
  if (axes[2] >= 0) return Primitive::vmap(in_, axes);
  std::vector<array> in = in_;
  int n = vmap_util::to_front(in, axes);
  for (int i = 0; i < 2; ++i)
    if (axes[i] < 0) in[i] = vmap_util::batch_broadcast(in[i], n);
  std::vector<int> ax = axes_;
  for (int& a : ax) ++a;
  return {{slice_update_dynamic(in[0], in[1], in[2], ax)}, {0}};
}

}  // namespace mlx

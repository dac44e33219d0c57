#include "ops/slice.h"

#include <set>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives/slice.h"

namespace mlx {

namespace {

struct Normalized {
  std::vector<int32_t> start, stop, strides;
  Shape shape;
};

// Python's slice.indices(): clamps start/stop into range for the step's direction and
// gives the resulting length. `stop` may end as -1 for negative steps (one before 0).
Normalized normalize(const array& a, std::vector<int32_t> start, std::vector<int32_t> stop,
                     std::vector<int32_t> strides, const char* op) {
  int nd = a.ndim();
  if (static_cast<int>(start.size()) != nd || static_cast<int>(stop.size()) != nd ||
      static_cast<int>(strides.size()) != nd) {
    throw std::invalid_argument(std::string("[") + op + "] Invalid number of indices or strides for array with " +
                                std::to_string(nd) + " dimensions.");
  }
  Normalized r;
  for (int i = 0; i < nd; ++i) {
    int64_t n = a.shape(i), step = strides[i];
    if (step == 0) throw std::invalid_argument(std::string("[") + op + "] Slice step cannot be zero.");
    int64_t s = start[i], e = stop[i];
    if (s < 0) s += n;
    if (e < 0) e += n;
    int64_t len;
    if (step > 0) {
      s = std::min<int64_t>(std::max<int64_t>(s, 0), n);
      e = std::min<int64_t>(std::max<int64_t>(e, 0), n);
      len = e > s ? (e - s + step - 1) / step : 0;
    } else {
      s = std::min<int64_t>(std::max<int64_t>(s, -1), n - 1);
      e = std::min<int64_t>(std::max<int64_t>(e, -1), n - 1);
      len = s > e ? (s - e - step - 1) / -step : 0;
    }
    // An empty slice is stored as [0, 0): re-slicing the same region (vmap, jvp) must give
    // an empty result again, which a kept stop (start 0, stop e) would not.
    r.start.push_back(static_cast<int32_t>(len > 0 ? s : 0));
    r.stop.push_back(static_cast<int32_t>(len > 0 ? e : 0));
    r.strides.push_back(static_cast<int32_t>(step));
    r.shape.push_back(static_cast<int32_t>(len));
  }
  return r;
}

}  // namespace

array slice(const array& a, std::vector<int32_t> start, std::vector<int32_t> stop, std::vector<int32_t> strides) {
  Normalized n = normalize(a, std::move(start), std::move(stop), std::move(strides), "slice");
  if (n.shape == a.shape()) {
    bool identity = true;
    for (size_t i = 0; i < n.strides.size(); ++i) identity = identity && n.strides[i] == 1 && n.start[i] == 0;
    if (identity) return a;
  }
  Shape shape = n.shape;
  return array(std::move(shape), a.dtype(), std::make_shared<Slice>(n.start, n.stop, n.strides), {a});
}

array slice(const array& a, std::vector<int32_t> start, std::vector<int32_t> stop) {
  return slice(a, std::move(start), std::move(stop), std::vector<int32_t>(a.ndim(), 1));
}

array slice_update(const array& src, const array& update, std::vector<int32_t> start, std::vector<int32_t> stop,
                   std::vector<int32_t> strides) {
  Normalized n = normalize(src, std::move(start), std::move(stop), std::move(strides), "slice_update");
  Shape region = broadcast_shapes(n.shape, update.shape(), "slice_update");
  if (region != n.shape) {
    throw std::invalid_argument("[slice_update] Update of shape " + shape_string(update.shape()) +
                                " cannot be broadcast to the slice's shape " + shape_string(n.shape) + ".");
  }
  array upd = broadcast_to(astype(update, src.dtype()), n.shape);
  return array(src.shape(), src.dtype(), std::make_shared<SliceUpdate>(n.start, n.stop, n.strides), {src, upd});
}

namespace {

// MLX's checks of the start indices and axes (normalised in place), errors prefixed by `op`.
void check_dynamic(const array& a, const array& start, std::vector<int>& axes, const char* op) {
  auto fail = [&](const std::string& m) { throw std::invalid_argument(std::string("[") + op + "] " + m); };
  if (start.size() > size_t(a.ndim())) {
    fail("Invalid number of starting positions for array with dimension " + std::to_string(a.ndim()) + ".");
  }
  if (start.ndim() > 1) {
    fail("array of starting indices must be zero or one dimensional but has dimension " +
         std::to_string(start.ndim()) + ".");
  }
  if (start.size() != axes.size()) {
    fail("Number of starting indices " + std::to_string(start.size()) + " does not match number of axes " +
         std::to_string(axes.size()) + ".");
  }
  if (!is_integral(start.dtype())) fail(std::string("Start indices must be integers, got type ") + dtype_name(start.dtype()) + ".");
  for (int& ax : axes) {
    int n = ax < 0 ? ax + a.ndim() : ax;
    if (n < 0 || n >= a.ndim()) {
      fail("Invalid axis " + std::to_string(ax) + " for array with dimension " + std::to_string(a.ndim()) + ".");
    }
    ax = n;
  }
  if (std::set<int>(axes.begin(), axes.end()).size() != axes.size()) fail("Repeat axes not allowed.");
}

}  // namespace

array slice_dynamic(const array& a, const array& start, std::vector<int> axes, Shape slice_size) {
  check_dynamic(a, start, axes, "slice");
  if (static_cast<int>(slice_size.size()) != a.ndim()) {
    throw std::invalid_argument("[slice] Invalid slice size for array with " + std::to_string(a.ndim()) + " dimensions.");
  }
  for (int i = 0; i < a.ndim(); ++i) {
    if (slice_size[i] > a.shape(i) || slice_size[i] < 0) {
      throw std::invalid_argument("[slice] Invalid slice size " + shape_string(slice_size) + " for array with shape " +
                                  shape_string(a.shape()) + ".");
    }
  }
  Shape out = slice_size;
  return array(std::move(out), a.dtype(), std::make_shared<DynamicSlice>(axes, std::move(slice_size)), {a, start});
}

array slice_update_dynamic(const array& src, const array& update, const array& start, std::vector<int> axes) {
  check_dynamic(src, start, axes, "slice_update");
  if (update.ndim() > src.ndim()) {
    throw std::invalid_argument("[slice_update] Update of shape " + shape_string(update.shape()) +
                                " has more dimensions than the array of shape " + shape_string(src.shape()) + ".");
  }
  // MLX's broadcast of the update: leading axes it lacks take src's extent (1 on a sliced axis).
  int diff = src.ndim() - update.ndim();
  Shape up(src.shape().begin(), src.shape().begin() + diff);
  up.insert(up.end(), update.shape().begin(), update.shape().end());
  for (int d = diff; d < src.ndim(); ++d) up[d] = std::min(up[d], src.shape(d));
  for (int ax : axes)
    if (ax < diff) up[ax] = 1;
  array upd = broadcast_to(astype(update, src.dtype()), up);
  return array(src.shape(), src.dtype(), std::make_shared<DynamicSliceUpdate>(axes), {src, upd, start});
}

}  // namespace mlx

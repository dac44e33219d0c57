#include "ops/slice.h"

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
    r.start.push_back(static_cast<int32_t>(len > 0 ? s : 0));
    r.stop.push_back(static_cast<int32_t>(e));
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

}  // namespace mlx

#include "ops/shape.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "dtype.h"
#include "ops.h"
#include "ops/slice.h"
#include "primitives/shape.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// A single axis made non-negative, or an error naming `op` (and `what`, e.g. "axis1").
int check_axis(int axis, int ndim, const char* op, const char* what = "axis") {
  if (axis < -ndim || axis >= ndim) {
    fail(op, std::string("Invalid ") + what + " " + std::to_string(axis) + " for array with " +
                 std::to_string(ndim) + " dimensions.");
  }
  return axis < 0 ? axis + ndim : axis;
}

std::vector<int> iota_axes(int n) {
  std::vector<int> ax(n);
  std::iota(ax.begin(), ax.end(), 0);
  return ax;
}


}  // namespace

array slice_axis(const array& x, int axis, int32_t lo, int32_t hi) {
  std::vector<int32_t> start(x.ndim(), 0), stop(x.shape().begin(), x.shape().end());
  start[axis] = lo;
  stop[axis] = hi;
  return slice(x, start, stop);
}

// ---- reshaping helpers ----------------------------------------------------------------

array flatten(const array& a, int start_axis, int end_axis) {
  int nd = a.ndim();
  if (nd == 0) return reshape(a, {1});
  int s = std::max(0, start_axis < 0 ? start_axis + nd : start_axis);
  int e = std::min(nd - 1, end_axis < 0 ? end_axis + nd : end_axis);
  std::string dims = " for array with " + std::to_string(nd) + " dimensions.";
  if (e < s) fail("flatten", "start_axis must be less than or equal to end_axis.");
  if (s >= nd) fail("flatten", "Invalid start_axis " + std::to_string(start_axis) + dims);
  if (e < 0) fail("flatten", "Invalid end_axis " + std::to_string(end_axis) + dims);
  if (s == e) return a;
  Shape shape(a.shape().begin(), a.shape().begin() + s);
  int64_t merged = 1;
  for (int i = s; i <= e; ++i) merged *= a.shape(i);
  // Only a 0-size array can have a product of dimensions beyond int32.
  if (merged > INT32_MAX) fail("flatten", "The flattened axis would be too large.");
  shape.push_back(int32_t(merged));
  shape.insert(shape.end(), a.shape().begin() + e + 1, a.shape().end());
  return reshape(a, shape);
}

array unflatten(const array& a, int axis, Shape shape) {
  int ax = check_axis(axis, a.ndim(), "unflatten");
  if (shape.empty()) fail("unflatten", "Shape to unflatten to cannot be empty.");
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) fail("unflatten", "Can only infer one dimension.");
      infer = int(i);
    } else if (shape[i] < 0) {
      fail("unflatten", "Invalid dimension " + std::to_string(shape[i]) + " in shape " + shape_string(shape) + ".");
    } else {
      known *= shape[i];
    }
  }
  int64_t n = a.shape(ax);
  if (infer >= 0 && known != 0 && n % known == 0) {
    shape[infer] = int32_t(n / known);
    known = n;
  }
  if (known != n || (infer >= 0 && shape[infer] == -1)) {
    fail("unflatten", "Cannot unflatten axis " + std::to_string(axis) + " with size " + std::to_string(n) +
                          " into shape " + shape_string(shape) + ".");
  }
  Shape out(a.shape().begin(), a.shape().begin() + ax);
  out.insert(out.end(), shape.begin(), shape.end());
  out.insert(out.end(), a.shape().begin() + ax + 1, a.shape().end());
  return reshape(a, out);
}

array squeeze(const array& a, std::optional<std::vector<int>> axes) {
  std::vector<int> ax;
  if (axes) {
    ax = normalize_axes(*axes, a.ndim(), "squeeze");
    for (int i : ax) {
      if (a.shape(i) != 1) fail("squeeze", "Cannot squeeze axis " + std::to_string(i) + " with size " +
                                               std::to_string(a.shape(i)) + " which is not equal to 1.");
    }
  } else {
    for (int i = 0; i < a.ndim(); ++i)
      if (a.shape(i) == 1) ax.push_back(i);
  }
  Shape shape;
  for (int i = 0; i < a.ndim(); ++i)
    if (!std::binary_search(ax.begin(), ax.end(), i)) shape.push_back(a.shape(i));
  return reshape(a, shape);
}

array expand_dims(const array& a, std::vector<int> axes) {
  int out_nd = a.ndim() + int(axes.size());
  for (int& v : axes) v = check_axis(v, out_nd, "expand_dims");
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) fail("expand_dims", "Received duplicate axes.");
  Shape shape;
  size_t k = 0, j = 0;
  for (int i = 0; i < out_nd; ++i) {
    if (k < axes.size() && axes[k] == i) {
      shape.push_back(1);
      ++k;
    } else {
      shape.push_back(a.shape(int(j++)));
    }
  }
  return reshape(a, shape);
}

array swapaxes(const array& a, int axis1, int axis2) {
  int a1 = check_axis(axis1, a.ndim(), "swapaxes");
  int a2 = check_axis(axis2, a.ndim(), "swapaxes");
  std::vector<int> perm = iota_axes(a.ndim());
  std::swap(perm[a1], perm[a2]);
  return transpose(a, perm);
}

array moveaxis(const array& a, int source, int destination) {
  int s = check_axis(source, a.ndim(), "moveaxis");
  int d = check_axis(destination, a.ndim(), "moveaxis");
  std::vector<int> perm = iota_axes(a.ndim());
  perm.erase(perm.begin() + s);
  perm.insert(perm.begin() + d, s);
  return transpose(a, perm);
}

array atleast_1d(const array& a) { return a.ndim() >= 1 ? a : reshape(a, {1}); }
array atleast_2d(const array& a) {
  if (a.ndim() >= 2) return a;
  return a.ndim() == 1 ? reshape(a, {1, a.shape(0)}) : reshape(a, {1, 1});
}
array atleast_3d(const array& a) {
  switch (a.ndim()) {
    case 0: return reshape(a, {1, 1, 1});
    case 1: return reshape(a, {1, a.shape(0), 1});
    case 2: return reshape(a, {a.shape(0), a.shape(1), 1});
    default: return a;
  }
}

std::vector<array> broadcast_arrays(const std::vector<array>& arrays) {
  if (arrays.empty()) return {};
  Shape shape = arrays[0].shape();
  for (auto& x : arrays) shape = broadcast_shapes(shape, x.shape(), "broadcast_arrays");
  std::vector<array> out;
  for (auto& x : arrays) out.push_back(broadcast_to(x, shape));
  return out;
}

// ---- joining and splitting ------------------------------------------------------------

array concatenate(std::vector<array> arrays, std::optional<int> axis_opt) {
  if (arrays.empty()) fail("concatenate", "No arrays provided for concatenation.");
  if (!axis_opt) {
    for (auto& x : arrays) x = flatten(x);
    axis_opt = 0;
  }
  const Shape& first = arrays[0].shape();
  int nd = arrays[0].ndim();
  int axis = *axis_opt;
  if (axis < -nd || axis >= nd) {
    fail("concatenate", "Invalid axis (" + std::to_string(axis) + ") passed to concatenate for array with shape " +
                            shape_string(first) + ".");
  }
  if (axis < 0) axis += nd;
  Dtype dt = arrays[0].dtype();
  Shape shape = first;
  shape[axis] = 0;
  for (auto& x : arrays) {
    if (x.ndim() != nd) {
      fail("concatenate", "All the input arrays must have the same number of dimensions. However, got arrays with "
                          "dimensions " + std::to_string(nd) + " and " + std::to_string(x.ndim()) + ".");
    }
    for (int d = 0; d < nd; ++d) {
      if (d != axis && x.shape(d) != first[d]) {
        fail("concatenate", "All the input array dimensions must match exactly except for the concatenation axis. "
                            "However, the provided shapes are " + shape_string(first) + " and " +
                            shape_string(x.shape()) + ", and the concatenation axis is " + std::to_string(axis) + ".");
      }
    }
    int64_t len = int64_t(shape[axis]) + x.shape(axis);
    if (len > INT32_MAX) fail("concatenate", "The output axis is too large.");
    shape[axis] = int32_t(len);
    dt = promote_types(dt, x.dtype());
  }
  if (arrays.size() == 1) return astype(arrays[0], dt);
  for (auto& x : arrays) x = astype(x, dt);
  return array(std::move(shape), dt, std::make_shared<Concatenate>(axis), std::move(arrays));
}

array stack(const std::vector<array>& arrays, int axis) {
  if (arrays.empty()) fail("stack", "No arrays provided for stacking.");
  for (auto& x : arrays) {
    if (x.shape() != arrays[0].shape()) {
      fail("stack", "All arrays must have the same shape, but got " + shape_string(arrays[0].shape()) + " and " +
                        shape_string(x.shape()) + ".");
    }
  }
  int out_nd = arrays[0].ndim() + 1;
  int ax = check_axis(axis, out_nd, "stack");
  std::vector<array> parts;
  for (auto& x : arrays) parts.push_back(expand_dims(x, {ax}));
  return concatenate(parts, ax);
}

std::vector<array> split(const array& a, const std::vector<int>& indices, int axis) {
  if (axis < -a.ndim() || axis >= a.ndim()) {
    fail("split", "Invalid axis " + std::to_string(axis) + " passed to split for array with shape " +
                      shape_string(a.shape()) + ".");
  }
  if (axis < 0) axis += a.ndim();
  int32_t n = a.shape(axis);
  // NumPy: each part is a[prev:idx] with Python slice clamping, so out-of-order or
  // out-of-range indices give empty or short parts rather than errors.
  std::vector<array> out;
  int32_t prev = 0;
  auto clampi = [n](int64_t i) { return int32_t(std::min<int64_t>(std::max<int64_t>(i < 0 ? i + n : i, 0), n)); };
  for (int idx : indices) {
    int32_t lo = prev, hi = std::max(lo, clampi(idx));
    out.push_back(slice_axis(a, axis, lo, hi));
    prev = clampi(idx);
  }
  out.push_back(slice_axis(a, axis, std::min(prev, n), n));
  return out;
}

std::vector<array> split(const array& a, int sections, int axis) {
  if (axis < -a.ndim() || axis >= a.ndim()) {
    fail("split", "Invalid axis " + std::to_string(axis) + " passed to split for array with shape " +
                      shape_string(a.shape()) + ".");
  }
  if (axis < 0) axis += a.ndim();
  if (sections <= 0) fail("split", "Number of splits must be positive, got " + std::to_string(sections) + ".");
  int32_t n = a.shape(axis);
  if (n % sections != 0) {
    fail("split", "Array split does not result in sub arrays with equal size: attempting " + std::to_string(sections) +
                      " splits along axis " + std::to_string(axis) + " for shape " + shape_string(a.shape()) + ".");
  }
  std::vector<int> idx;
  for (int i = 1; i < sections; ++i) idx.push_back(i * (n / sections));
  return split(a, idx, axis);
}

// ---- repetition, padding, rolling ----------------------------------------------------

array tile(const array& a, std::vector<int> reps) {
  for (int r : reps)
    if (r < 0) fail("tile", "Repetitions must be non-negative, got " + std::to_string(r) + ".");
  // NumPy: the shorter of reps and shape is padded with leading 1s.
  int nd = std::max<int>(a.ndim(), int(reps.size()));
  reps.insert(reps.begin(), nd - reps.size(), 1);
  Shape shape(nd - a.ndim(), 1);
  shape.insert(shape.end(), a.shape().begin(), a.shape().end());
  // (1, s0, 1, s1, ...) broadcast to (r0, s0, r1, s1, ...), then merged pairwise.
  Shape interleaved, expanded, out;
  for (int i = 0; i < nd; ++i) {
    interleaved.insert(interleaved.end(), {1, shape[i]});
    expanded.insert(expanded.end(), {reps[i], shape[i]});
    int64_t len = int64_t(reps[i]) * shape[i];
    if (len > INT32_MAX) fail("tile", "The output is too large.");
    out.push_back(int32_t(len));
  }
  return reshape(broadcast_to(reshape(a, interleaved), expanded), out);
}

array repeat(const array& a, int repeats, std::optional<int> axis) {
  if (repeats < 0) fail("repeat", "Number of repeats cannot be negative.");
  if (!axis) return repeat(flatten(a), repeats, 0);
  int ax = check_axis(*axis, a.ndim(), "repeat");
  // Each element along ax gets a new axis of length `repeats` right after it, then the two merge.
  Shape expanded = a.shape();
  expanded.insert(expanded.begin() + ax + 1, repeats);
  Shape out = a.shape();
  int64_t len = int64_t(out[ax]) * repeats;
  if (len > INT32_MAX) fail("repeat", "The output is too large.");
  out[ax] = int32_t(len);
  return reshape(broadcast_to(expand_dims(a, {ax + 1}), expanded), out);
}

array pad(const array& a, const std::vector<std::pair<int, int>>& widths_in, const array& value, PadMode mode) {
  std::vector<std::pair<int, int>> widths = widths_in;
  if (widths.size() == 1 && a.ndim() != 1) {
    auto w = widths[0];  // a copy: assign() may free the element a reference would point to
    widths.assign(a.ndim(), w);
  }
  if (int(widths.size()) != a.ndim()) {
    fail("pad", "Invalid number of padding sizes passed to pad with axes of size " + std::to_string(a.ndim()) + ".");
  }
  Shape shape = a.shape();
  for (int i = 0; i < a.ndim(); ++i) {
    auto [lo, hi] = widths[i];
    for (auto [which, w] : {std::pair<const char*, int>{"low", lo}, {"high", hi}}) {
      if (w < 0) {
        fail("pad", std::string("Invalid ") + which + " padding size (" + std::to_string(w) + ") passed to pad for axis " +
                        std::to_string(i) + ". Padding sizes must be non-negative.");
      }
    }
    int64_t len = int64_t(shape[i]) + lo + hi;
    if (len > INT32_MAX) fail("pad", "The output is too large.");
    shape[i] = int32_t(len);
  }
  if (mode == PadMode::Constant) {
    if (value.size() != 1) fail("pad", "Constant value must be a scalar, got shape " + shape_string(value.shape()) + ".");
    std::vector<int32_t> start, stop;
    for (int i = 0; i < a.ndim(); ++i) {
      start.push_back(widths[i].first);
      stop.push_back(widths[i].first + a.shape(i));
    }
    array fill = full(shape, reshape(value, {}), a.dtype());
    return slice_update(fill, a, start, stop, std::vector<int32_t>(a.ndim(), 1));
  }
  // Edge: per axis, the first and last slices broadcast over the padding, joined around a.
  array x = a;
  for (int i = 0; i < a.ndim(); ++i) {
    auto [lo, hi] = widths[i];
    if (lo == 0 && hi == 0) continue;
    int32_t n = x.shape(i);
    if (n == 0) fail("pad", "Cannot pad an empty axis in edge mode.");
    std::vector<array> parts;
    if (lo > 0) {
      Shape s = x.shape();
      s[i] = lo;
      parts.push_back(broadcast_to(slice_axis(x, i, 0, 1), s));
    }
    parts.push_back(x);
    if (hi > 0) {
      Shape s = x.shape();
      s[i] = hi;
      parts.push_back(broadcast_to(slice_axis(x, i, n - 1, n), s));
    }
    x = concatenate(parts, i);
  }
  return x;
}

array roll(const array& a, const std::vector<int>& shifts, std::optional<std::vector<int>> axes) {
  if (shifts.empty()) fail("roll", "At least one shift is required.");
  if (!axes) {
    if (shifts.size() != 1) fail("roll", "A single shift is required when no axes are given.");
    return reshape(roll(flatten(a), shifts, std::vector<int>{0}), a.shape());
  }
  if (shifts.size() != 1 && shifts.size() != axes->size()) {
    fail("roll", "The shift and axes must have the same size, got " + std::to_string(shifts.size()) + " shifts and " +
                     std::to_string(axes->size()) + " axes.");
  }
  array x = a;
  for (size_t k = 0; k < axes->size(); ++k) {
    int ax = check_axis((*axes)[k], a.ndim(), "roll");
    int32_t n = x.shape(ax);
    if (n == 0) continue;
    int64_t s = (shifts.size() == 1 ? shifts[0] : shifts[k]) % int64_t(n);
    if (s < 0) s += n;
    if (s == 0) continue;
    // The last s elements move to the front.
    x = concatenate({slice_axis(x, ax, int32_t(n - s), n), slice_axis(x, ax, 0, int32_t(n - s))}, ax);
  }
  return x;
}

array flip(const array& a, std::optional<std::vector<int>> axes) {
  std::vector<int> ax = axes ? normalize_axes(*axes, a.ndim(), "flip") : iota_axes(a.ndim());
  std::vector<int32_t> start(a.ndim(), 0), stop(a.shape().begin(), a.shape().end()), steps(a.ndim(), 1);
  for (int i : ax) {
    start[i] = -1;
    stop[i] = INT32_MIN / 2;  // clamped to "before the first element"
    steps[i] = -1;
  }
  return slice(a, start, stop, steps);
}

// ---- diagonals ------------------------------------------------------------------------

array diagonal(const array& a, int offset, int axis1, int axis2) {
  if (a.ndim() < 2) {
    fail("diagonal", "Array must have at least two dimensions, but got " + std::to_string(a.ndim()) + " dimensions.");
  }
  int a1 = check_axis(axis1, a.ndim(), "diagonal", "axis1");
  int a2 = check_axis(axis2, a.ndim(), "diagonal", "axis2");
  if (a1 == a2) fail("diagonal", "axis1 and axis2 cannot be the same axis.");
  Shape shape;
  for (int i = 0; i < a.ndim(); ++i)
    if (i != a1 && i != a2) shape.push_back(a.shape(i));
  int64_t n1 = a.shape(a1), n2 = a.shape(a2);
  int64_t len = std::max<int64_t>(0, std::min<int64_t>(n1 - std::max<int64_t>(0, -int64_t(offset)), n2 - std::max<int64_t>(0, offset)));
  shape.push_back(int32_t(len));
  return array(std::move(shape), a.dtype(), std::make_shared<Diagonal>(offset, a1, a2), {a});
}

array diag(const array& a, int k) {
  if (a.ndim() == 2) return diagonal(a, k, 0, 1);
  if (a.ndim() != 1) fail("diag", "array must be 1-D or 2-D, got array with " + std::to_string(a.ndim()) + " dimensions.");
  // An (n+|k|)^2 flat buffer of zeros with a written every N+1 elements from the first slot.
  int64_t n = a.shape(0), N = n + std::abs(int64_t(k));
  if (N * N > INT32_MAX) fail("diag", "The output is too large.");
  array flat = zeros({int32_t(N * N)}, a.dtype());
  if (n > 0) {
    int64_t first = k >= 0 ? k : -int64_t(k) * N;
    flat = slice_update(flat, a, {int32_t(first)}, {int32_t(first + (n - 1) * (N + 1) + 1)}, {int32_t(N + 1)});
  }
  return reshape(flat, {int32_t(N), int32_t(N)});
}

array trace(const array& a, int offset, int axis1, int axis2, std::optional<Dtype> dtype) {
  if (a.ndim() < 2) {
    fail("trace", "Array must have at least two dimensions, but got " + std::to_string(a.ndim()) + " dimensions.");
  }
  int a1 = check_axis(axis1, a.ndim(), "trace", "axis1");
  int a2 = check_axis(axis2, a.ndim(), "trace", "axis2");
  if (a1 == a2) fail("trace", "axis1 and axis2 cannot be the same axis.");
  // As MLX: cast the diagonal, then sum (so small integers accumulate in int32/uint32).
  return sum(astype(diagonal(a, offset, a1, a2), dtype ? *dtype : a.dtype()), std::vector<int>{-1});
}

// ---- views and broadcasting -------------------------------------------------------

std::string shape_string(const Shape& s) {
  std::ostringstream o;
  o << "(";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? "," : "") << s[i];
  o << ")";
  return o.str();
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  if (a == b) return a;
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int32_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int32_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1) {
      fail(op, "Shapes " + shape_string(a) + " and " + shape_string(b) + " cannot be broadcast.");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int> normalize_axes(std::vector<int> axes, int ndim, const char* op) {
  for (auto& ax : axes) {
    if (ax < -ndim || ax >= ndim) {
      fail(op, "Invalid axis " + std::to_string(ax) + " for array with " + std::to_string(ndim) +
                   " dimensions.");
    }
    if (ax < 0) ax += ndim;
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) fail(op, "Received duplicate axes.");
  return axes;
}

Shape reshape_shape(size_t size, Shape shape) {
  int infer = -1;
  size_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) fail("reshape", "Reshape can only infer one dimension.");
      infer = static_cast<int>(i);
    } else if (shape[i] < 0) {
      fail("reshape", "Invalid dimension " + std::to_string(shape[i]) + " in shape " + shape_string(shape) + ".");
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || size % known != 0) {
      fail("reshape", "Cannot infer the shape of an array of size " + std::to_string(size) +
                          " into shape " + shape_string(shape) + ".");
    }
    shape[infer] = static_cast<int32_t>(size / known);
    known = size;
  }
  if (known != size) {
    fail("reshape", "Cannot reshape array of size " + std::to_string(size) + " into shape " +
                        shape_string(shape) + ".");
  }
  return shape;
}

array reshape(const array& a, Shape requested) {
  Shape shape = reshape_shape(a.size(), requested);
  if (shape == a.shape()) return a;
  // The primitive keeps the shape as asked (with its -1) so that a shapeless compile can
  // infer the output shape for a new input size.
  auto prim = std::make_shared<Reshape>(shape, std::move(requested));
  return array(std::move(shape), a.dtype(), std::move(prim), {a});
}

array transpose(const array& a, std::optional<std::vector<int>> axes) {
  std::vector<int> ax;
  if (axes) {
    ax = *axes;
    if (static_cast<int>(ax.size()) != a.ndim()) {
      fail("transpose", "Received " + std::to_string(ax.size()) + " axes for array with " +
                            std::to_string(a.ndim()) + " dimensions.");
    }
    normalize_axes(ax, a.ndim(), "transpose");  // range and duplicate checks
    for (auto& v : ax)
      if (v < 0) v += a.ndim();
  } else {
    for (int i = a.ndim() - 1; i >= 0; --i) ax.push_back(i);
  }
  Shape shape;
  for (int v : ax) shape.push_back(a.shape(v));
  return array(std::move(shape), a.dtype(), std::make_shared<Transpose>(ax), {a});
}

array broadcast_to(const array& a, const Shape& shape) {
  if (a.shape() == shape) return a;
  if (shape.size() < a.shape().size()) {
    fail("broadcast_to", "Cannot broadcast array of shape " + shape_string(a.shape()) + " into shape " +
                             shape_string(shape) + ".");
  }
  Shape out = broadcast_shapes(a.shape(), shape, "broadcast_to");
  if (out != shape) {
    fail("broadcast_to", "Cannot broadcast array of shape " + shape_string(a.shape()) + " into shape " +
                             shape_string(shape) + ".");
  }
  return array(shape, a.dtype(), std::make_shared<Broadcast>(shape, a.shape()), {a});
}

array view(const array& a, Dtype dtype) {
  size_t from = a.itemsize(), to = size_of(dtype);
  if (from == to) {
    if (a.dtype() == dtype) return a;
    return array(a.shape(), dtype, std::make_shared<View>(dtype), {a});
  }
  Shape shape = a.shape();
  if (shape.empty()) {
    fail("view", std::string("Cannot view a 0-dimensional array of ") + dtype_name(a.dtype()) + " as " +
                     dtype_name(dtype) + ": the item sizes differ.");
  }
  int64_t bytes = int64_t(shape.back()) * int64_t(from);
  if (bytes % int64_t(to) != 0) {
    fail("view", "The last axis of " + std::to_string(bytes) + " bytes is not a multiple of the " +
                     std::to_string(to) + "-byte item size of " + dtype_name(dtype) + ".");
  }
  shape.back() = static_cast<int32_t>(bytes / int64_t(to));
  return array(std::move(shape), dtype, std::make_shared<View>(dtype), {a});
}

}  // namespace mlx

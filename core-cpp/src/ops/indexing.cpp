#include "ops/indexing.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "ops.h"
#include "primitives/indexing.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const std::string& op, const std::string& msg) {
  throw std::invalid_argument("[" + op + "] " + msg);
}

void check_integral(const array& idx, const std::string& op) {
  if (!is_integral(idx.dtype())) {
    fail(op, std::string("Got indices with invalid dtype ") + dtype_name(idx.dtype()) +
                 ". Indices must be integral.");
  }
}

int normalize_axis(int axis, int ndim, const std::string& op) {
  if (axis < -ndim || axis >= ndim) {
    fail(op, "Received invalid axis " + std::to_string(axis) + " for array with " + std::to_string(ndim) +
                 " dimensions.");
  }
  return axis < 0 ? axis + ndim : axis;
}

// Checks the index arrays against the axes and broadcasts them to one shape (views).
std::vector<array> broadcast_indices(const array& a, const std::vector<array>& indices, std::vector<int>& axes,
                                     const std::string& op) {
  if (indices.size() != axes.size()) {
    fail(op, "Got " + std::to_string(indices.size()) + " index arrays for " + std::to_string(axes.size()) +
                 " axes.");
  }
  for (auto& ax : axes) ax = normalize_axis(ax, a.ndim(), op);
  std::vector<int> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) fail(op, "Received duplicate axes.");
  Shape b;
  for (auto& idx : indices) {
    check_integral(idx, op);
    b = broadcast_shapes(b, idx.shape(), op.c_str());
  }
  std::vector<array> out;
  for (auto& idx : indices) out.push_back(broadcast_to(idx, b));
  return out;
}

// One index array per axis of `shape` for NumPy's *_along_axis ops: `idx` on `axis`, and
// aranges (broadcast) on the other axes, so each output position reads its own row.
std::vector<array> along_axis_indices(const array& idx, int axis, const Shape& shape) {
  std::vector<array> out;
  int nd = static_cast<int>(shape.size());
  for (int i = 0; i < nd; ++i) {
    if (i == axis) {
      out.push_back(idx);
      continue;
    }
    Shape s(nd, 1);
    s[i] = shape[i];
    out.push_back(broadcast_to(reshape(arange(0, shape[i], 1, Dtype::int32), s), shape));
  }
  return out;
}

std::vector<int> all_axes(int nd) {
  std::vector<int> ax(nd);
  std::iota(ax.begin(), ax.end(), 0);
  return ax;
}

}  // namespace

const char* scatter_op_name(ScatterType type) {
  switch (type) {
    case ScatterType::None: return "scatter";
    case ScatterType::Sum: return "scatter_add";
    case ScatterType::Prod: return "scatter_prod";
    case ScatterType::Max: return "scatter_max";
    case ScatterType::Min: return "scatter_min";
  }
  return "scatter";
}

array gather(const array& a, const std::vector<array>& indices, const std::vector<int>& axes_in,
             const Shape& slice_sizes, const std::string& op) {
  std::vector<int> axes = axes_in;
  std::vector<array> idx = broadcast_indices(a, indices, axes, op);
  if (static_cast<int>(slice_sizes.size()) != a.ndim()) {
    fail(op, "Got " + std::to_string(slice_sizes.size()) + " slice sizes for an array with " +
                 std::to_string(a.ndim()) + " dimensions.");
  }
  for (int i = 0; i < a.ndim(); ++i) {
    if (slice_sizes[i] < 0 || slice_sizes[i] > a.shape(i)) {
      fail(op, "Slice sizes must be in [0, a.shape(i)]; got " + shape_string(slice_sizes) + " for shape " +
                   shape_string(a.shape()) + ".");
    }
  }
  Shape shape = idx.empty() ? Shape{} : idx[0].shape();
  shape.insert(shape.end(), slice_sizes.begin(), slice_sizes.end());
  std::vector<array> inputs{a};
  inputs.insert(inputs.end(), idx.begin(), idx.end());
  return array(std::move(shape), a.dtype(), std::make_shared<Gather>(axes, slice_sizes, op, a.shape()), std::move(inputs));
}

array scatter(const array& a, const std::vector<array>& indices, const array& updates,
              const std::vector<int>& axes_in, ScatterType type, const std::string& op_in) {
  std::string op = op_in.empty() ? scatter_op_name(type) : op_in;
  std::vector<int> axes = axes_in;
  std::vector<array> idx = broadcast_indices(a, indices, axes, op);
  Shape b = idx.empty() ? Shape{} : idx[0].shape();
  int nb = static_cast<int>(b.size());
  if (updates.ndim() != nb + a.ndim()) {
    fail(op, "Updates with " + std::to_string(updates.ndim()) +
                 " dimensions does not match the sum of the array (" + std::to_string(a.ndim()) +
                 ") and indices (" + std::to_string(nb) + ") dimensions.");
  }
  Shape target = b;
  for (int i = 0; i < a.ndim(); ++i) {
    int32_t u = updates.shape(nb + i);
    if (u > a.shape(i)) {
      fail(op, "Slice sizes of updates " + shape_string(updates.shape()) + " exceed the array's shape " +
                   shape_string(a.shape()) + ".");
    }
    target.push_back(u);
  }
  for (int i = 0; i < nb; ++i) {
    if (updates.shape(i) != b[i] && updates.shape(i) != 1) {
      fail(op, "Updates of shape " + shape_string(updates.shape()) + " do not match the indices' shape " +
                   shape_string(b) + ".");
    }
  }
  array upd = broadcast_to(astype(updates, a.dtype()), target);
  std::vector<array> inputs{a};
  inputs.insert(inputs.end(), idx.begin(), idx.end());
  inputs.push_back(upd);
  return array(a.shape(), a.dtype(), std::make_shared<Scatter>(type, axes, op), std::move(inputs));
}

array scatter_add(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes) {
  return scatter(a, indices, updates, axes, ScatterType::Sum);
}
array scatter_prod(const array& a, const std::vector<array>& indices, const array& updates,
                   const std::vector<int>& axes) {
  return scatter(a, indices, updates, axes, ScatterType::Prod);
}
array scatter_max(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes) {
  return scatter(a, indices, updates, axes, ScatterType::Max);
}
array scatter_min(const array& a, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes) {
  return scatter(a, indices, updates, axes, ScatterType::Min);
}

array take(const array& a_in, const array& indices, std::optional<int> axis_in) {
  check_integral(indices, "take");
  array a = axis_in ? a_in : reshape(a_in, {-1});
  int axis = normalize_axis(axis_in.value_or(0), a.ndim(), "take");
  Shape sizes = a.shape();
  // An empty axis has nothing to take: only an empty take is valid, and its slices are
  // empty along the axis (the reshape below drops it all the same).
  if (a.shape(axis) == 0 && indices.size() != 0) {
    fail("take", "Cannot do a non-empty take from an array with zero elements.");
  }
  sizes[axis] = a.shape(axis) == 0 ? 0 : 1;
  array g = gather(a, {indices}, {axis}, sizes, "take");
  // g is indices.shape + a.shape (axis kept as 1): drop that axis, then move the index
  // axes to where `axis` was.
  int ni = indices.ndim();
  Shape flat = indices.shape();
  for (int i = 0; i < a.ndim(); ++i)
    if (i != axis) flat.push_back(a.shape(i));
  // With one index axis its length is written -1, so that a shapeless compile replays the
  // take for a new number of indices.
  Shape requested = flat;
  if (ni == 1 && std::all_of(flat.begin(), flat.end(), [](int d) { return d > 0; })) requested[0] = -1;
  g = reshape(g, requested);
  if (axis == 0 || ni == 0) return g;
  std::vector<int> perm;
  for (int i = 0; i < axis; ++i) perm.push_back(ni + i);
  for (int i = 0; i < ni; ++i) perm.push_back(i);
  for (int i = ni + axis; i < static_cast<int>(flat.size()); ++i) perm.push_back(i);
  return transpose(g, perm);
}

array take_along_axis(const array& a, const array& indices, int axis_in) {
  const char* op = "take_along_axis";
  check_integral(indices, op);
  if (indices.ndim() != a.ndim()) {
    fail(op, "Indices of dimension " + std::to_string(indices.ndim()) + " does not match array of dimension " +
                 std::to_string(a.ndim()) + ".");
  }
  int axis = normalize_axis(axis_in, a.ndim(), op);
  Shape sa = a.shape(), si = indices.shape();
  sa[axis] = si[axis] = 1;
  Shape common = broadcast_shapes(sa, si, op);
  Shape a_shape = common, out_shape = common;
  a_shape[axis] = a.shape(axis);
  out_shape[axis] = indices.shape(axis);
  array src = broadcast_to(a, a_shape);
  auto idx = along_axis_indices(broadcast_to(indices, out_shape), axis, out_shape);
  array g = gather(src, idx, all_axes(a.ndim()), Shape(a.ndim(), 1), op);
  return reshape(g, out_shape);
}

array put_along_axis(const array& a, const array& indices, const array& values, int axis_in) {
  const char* op = "put_along_axis";
  check_integral(indices, op);
  if (indices.ndim() != a.ndim()) {
    fail(op, "Indices of dimension " + std::to_string(indices.ndim()) + " does not match array of dimension " +
                 std::to_string(a.ndim()) + ".");
  }
  int axis = normalize_axis(axis_in, a.ndim(), op);
  Shape target = a.shape();
  target[axis] = indices.shape(axis);
  if (broadcast_shapes(indices.shape(), target, op) != target) {
    fail(op, "Indices of shape " + shape_string(indices.shape()) + " cannot be broadcast to " +
                 shape_string(target) + ".");
  }
  if (broadcast_shapes(values.shape(), target, op) != target) {
    fail(op, "Values of shape " + shape_string(values.shape()) + " cannot be broadcast to " +
                 shape_string(target) + ".");
  }
  auto idx = along_axis_indices(broadcast_to(indices, target), axis, target);
  Shape upd_shape = target;
  upd_shape.insert(upd_shape.end(), a.ndim(), 1);
  array upd = reshape(broadcast_to(astype(values, a.dtype()), target), upd_shape);
  return scatter(a, idx, upd, all_axes(a.ndim()), ScatterType::None, op);
}

}  // namespace mlx

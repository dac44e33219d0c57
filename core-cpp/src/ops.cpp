#include "ops.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>

#include "primitives.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

array reduce(const array& a, std::optional<std::vector<int>> axes, bool keepdims, ReduceType type,
             Dtype out_type, const char* op) {
  std::vector<int> ax;
  if (axes) {
    ax = normalize_axes(*axes, a.ndim(), op);
  } else {
    ax.resize(a.ndim());
    std::iota(ax.begin(), ax.end(), 0);
  }
  Shape kept = a.shape();
  for (int i : ax) kept[i] = 1;
  array out(kept, out_type, std::make_shared<Reduce>(type, ax), {astype(a, out_type)});
  if (keepdims) return out;
  Shape squeezed;
  for (int i = 0; i < a.ndim(); ++i)
    if (std::find(ax.begin(), ax.end(), i) == ax.end()) squeezed.push_back(a.shape(i));
  return reshape(out, squeezed);
}

}  // namespace

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

array sum_to_shape(const array& a, const Shape& shape) {
  if (a.shape() == shape) return a;
  int lead = a.ndim() - static_cast<int>(shape.size());
  std::vector<int> axes;
  for (int i = 0; i < a.ndim(); ++i) {
    if (i < lead || (shape[i - lead] == 1 && a.shape(i) != 1)) axes.push_back(i);
  }
  return reshape(sum(a, axes, true), shape);
}

// ---- creation -----------------------------------------------------------------------

array arange(double start, double stop, double step, Dtype dtype) {
  if (step == 0) fail("arange", "Cannot compute length with step of 0.");
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step)) {
    fail("arange", "Cannot compute length with non-finite start, stop or step.");
  }
  if (dtype == Dtype::bool_) fail("arange", "Cannot make an arange of bool dtype.");
  double len = std::ceil((stop - start) / step);
  if (len > 2147483647.0) fail("arange", "Maximum size exceeded.");
  int32_t n = len > 0 ? static_cast<int32_t>(len) : 0;
  return array({n}, dtype, std::make_shared<Arange>(start, step), {});
}

array full(Shape shape, const array& value, Dtype dtype) {
  for (auto d : shape) {
    if (d < 0) fail("full", "Negative dimensions are not allowed.");
  }
  return broadcast_to(astype(value, dtype), shape);
}
array full(Shape shape, const array& value) { return full(std::move(shape), value, value.dtype()); }
array zeros(Shape shape, Dtype dtype) { return full(std::move(shape), array::scalar(0, dtype)); }
array ones(Shape shape, Dtype dtype) { return full(std::move(shape), array::scalar(1, dtype)); }

array zeros_like(const array& a) { return zeros(a.shape(), a.dtype()); }
array ones_like(const array& a) { return ones(a.shape(), a.dtype()); }
array stop_gradient(const array& a) {
  return array(a.shape(), a.dtype(), std::make_shared<StopGradient>(), {a});
}
array copy(const array& a) { return array(a.shape(), a.dtype(), std::make_shared<Copy>(), {a}); }

// ---- reductions ---------------------------------------------------------------------

array sum(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  return reduce(a, std::move(axes), keepdims, ReduceType::Sum, accumulation_dtype(a.dtype()), "sum");
}

array mean(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  Dtype t = to_floating(a.dtype());
  std::vector<int> ax;
  if (axes) {
    ax = normalize_axes(*axes, a.ndim(), "mean");
  } else {
    ax.resize(a.ndim());
    std::iota(ax.begin(), ax.end(), 0);
  }
  double n = 1;
  for (int i : ax) n *= a.shape(i);
  array s = reduce(astype(a, t), ax, keepdims, ReduceType::Sum, t, "mean");
  // 1/0 for an empty reduction gives NaN means, as in NumPy and MLX.
  return multiply(s, array::scalar(1.0 / n, t));
}

array max(const array& a, std::optional<std::vector<int>> axes, bool keepdims) {
  if (a.size() == 0) fail("max", "Cannot max reduce zero size array.");
  return reduce(a, std::move(axes), keepdims, ReduceType::Max, a.dtype(), "max");
}

// ---- shapes -------------------------------------------------------------------------

array reshape(const array& a, Shape shape) {
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
    if (known == 0 || a.size() % known != 0) {
      fail("reshape", "Cannot infer the shape of an array of size " + std::to_string(a.size()) +
                          " into shape " + shape_string(shape) + ".");
    }
    shape[infer] = static_cast<int32_t>(a.size() / known);
    known = a.size();
  }
  if (known != a.size()) {
    fail("reshape", "Cannot reshape array of size " + std::to_string(a.size()) + " into shape " +
                        shape_string(shape) + ".");
  }
  if (shape == a.shape()) return a;
  auto prim = std::make_shared<Reshape>(shape);
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
  return array(shape, a.dtype(), std::make_shared<Broadcast>(shape), {a});
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

array astype(const array& a, Dtype dtype) {
  if (a.dtype() == dtype) return a;
  return array(a.shape(), dtype, std::make_shared<AsType>(dtype), {a});
}

// ---- linear algebra -----------------------------------------------------------------

array matmul(const array& a_in, const array& b_in) {
  if (a_in.ndim() == 0 || b_in.ndim() == 0) fail("matmul", "Got 0 dimension input. Inputs must have at least one dimension.");
  Dtype t = promote_types(a_in.dtype(), b_in.dtype());
  if (!is_floating(t)) {
    fail("matmul", std::string("Only real floating point types are supported but ") + dtype_name(a_in.dtype()) +
                       " and " + dtype_name(b_in.dtype()) + " were provided which results in " + dtype_name(t) +
                       ", which is not a real floating point type.");
  }
  // Vectors become matrices (a row for `a`, a column for `b`) and lose that axis after.
  array a = a_in.ndim() == 1 ? reshape(a_in, {1, a_in.shape(0)}) : a_in;
  array b = b_in.ndim() == 1 ? reshape(b_in, {b_in.shape(0), 1}) : b_in;
  if (a.shape(-1) != b.shape(-2)) {
    fail("matmul", "Last dimension of first input with shape " + shape_string(a.shape()) +
                       " must match second to last dimension of second input with shape " +
                       shape_string(b.shape()) + ".");
  }
  Shape a_batch(a.shape().begin(), a.shape().end() - 2);
  Shape b_batch(b.shape().begin(), b.shape().end() - 2);
  Shape batch = broadcast_shapes(a_batch, b_batch, "matmul");
  Shape a_shape = batch, b_shape = batch, out_shape = batch;
  a_shape.insert(a_shape.end(), {a.shape(-2), a.shape(-1)});
  b_shape.insert(b_shape.end(), {b.shape(-2), b.shape(-1)});
  out_shape.insert(out_shape.end(), {a.shape(-2), b.shape(-1)});
  a = broadcast_to(astype(a, t), a_shape);
  b = broadcast_to(astype(b, t), b_shape);
  array out(out_shape, t, std::make_shared<Matmul>(), {a, b});
  if (a_in.ndim() == 1 || b_in.ndim() == 1) {
    Shape s = batch;
    if (a_in.ndim() != 1) s.push_back(a.shape(-2));
    if (b_in.ndim() != 1) s.push_back(b.shape(-1));
    out = reshape(out, s);
  }
  return out;
}

}  // namespace mlx

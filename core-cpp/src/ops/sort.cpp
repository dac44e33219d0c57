#include "ops/sort.h"

#include <stdexcept>
#include <string>

#include "ops.h"
#include "primitives/sort.h"

namespace mlx {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

int check_axis(const array& a, int axis, const char* op) {
  int nd = a.ndim();
  if (axis < -nd || axis >= nd) {
    fail(op, "Received invalid axis " + std::to_string(axis) + " for array with " + std::to_string(nd) +
                 " dimensions.");
  }
  return axis < 0 ? axis + nd : axis;
}

array flat(const array& a) { return reshape(a, {static_cast<int32_t>(a.size())}); }

array make(const array& a, SortKind kind, int axis, int param, int out_len) {
  Shape s = a.shape();
  s[axis] = out_len;
  Dtype t = sort_gives_indices(kind) ? Dtype::uint32 : a.dtype();
  return array(std::move(s), t, std::make_shared<SortPrimitive>(kind, axis, param), {a});
}

array sort_like(const array& a, int axis, SortKind kind, const char* op) {
  int ax = check_axis(a, axis, op);
  return make(a, kind, ax, 0, a.shape(ax));
}

array partition_like(const array& a, int kth, int axis, SortKind kind, const char* op) {
  int ax = check_axis(a, axis, op);
  int n = a.shape(ax);
  int k = kth < 0 ? kth + n : kth;
  if (k < 0 || k >= n) {
    fail(op, "Received invalid kth " + std::to_string(kth) + " along axis " + std::to_string(axis) +
                 " for array with shape: " + shape_string(a.shape()) + ".");
  }
  return make(a, kind, ax, k, n);
}

}  // namespace

array sort(const array& a, int axis) { return sort_like(a, axis, SortKind::Sort, "sort"); }
array sort(const array& a) { return sort(flat(a), 0); }
array argsort(const array& a, int axis) { return sort_like(a, axis, SortKind::ArgSort, "argsort"); }
array argsort(const array& a) { return argsort(flat(a), 0); }
array partition(const array& a, int kth, int axis) {
  return partition_like(a, kth, axis, SortKind::Partition, "partition");
}
array partition(const array& a, int kth) { return partition(flat(a), kth, 0); }
array argpartition(const array& a, int kth, int axis) {
  return partition_like(a, kth, axis, SortKind::ArgPartition, "argpartition");
}
array argpartition(const array& a, int kth) { return argpartition(flat(a), kth, 0); }

array topk(const array& a, int k, int axis) {
  int ax = check_axis(a, axis, "topk");
  if (k < 0 || k > a.shape(ax)) {
    fail("topk", "Invalid k=" + std::to_string(k) + " along axis " + std::to_string(axis) +
                     " for array with shape: " + shape_string(a.shape()) + ".");
  }
  return make(a, SortKind::TopK, ax, k, k);
}
array topk(const array& a, int k) { return topk(flat(a), k, 0); }

}  // namespace mlx

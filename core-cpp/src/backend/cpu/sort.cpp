#include "sort.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "allocator.h"
#include "dispatch.h"
#include "iterate.h"

namespace mlx {

namespace {

// NumPy's order: NaNs after every number (and equal to each other).
template <typename C>
bool nan_last_less(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
  }
  return a < b;
}

// Drops `axis` from a shape and strides (the lanes are indexed by the other axes).
void drop_axis(Shape& shape, Strides& a, Strides& b, int axis) {
  shape.erase(shape.begin() + axis);
  a.erase(a.begin() + axis);
  b.erase(b.begin() + axis);
}

template <typename T>
void sort_kernel(const array& in, array& out, SortKind kind, int axis, int param) {
  using C = compute_t<T>;
  const int64_t n = in.shape(axis);
  const int64_t out_n = out.shape(axis);
  const int64_t in_st = in.strides(axis);
  const int64_t out_st = out.strides(axis);
  const T* src = in.data<T>();
  const bool idx_out = sort_gives_indices(kind);
  Shape lanes = in.shape();
  Strides ist = in.strides(), ost = out.strides();
  drop_axis(lanes, ist, ost, axis);
  std::vector<C> vals(n);
  std::vector<uint32_t> order(n);
  // A total order: values (NaNs last), then position. std::sort under it equals a stable
  // sort, and partitions and top-k are the same whatever the selection algorithm does.
  auto less = [&](uint32_t i, uint32_t j) {
    if (nan_last_less(vals[i], vals[j])) return true;
    if (nan_last_less(vals[j], vals[i])) return false;
    return i < j;
  };
  auto lane = [&](int64_t in_off, int64_t out_off) {
    for (int64_t i = 0; i < n; ++i) vals[i] = C(src[in_off + i * in_st]);
    std::iota(order.begin(), order.end(), 0u);
    const int64_t first = n - out_n;  // top-k keeps the last k of the order
    switch (kind) {
      case SortKind::Sort:
      case SortKind::ArgSort:
        std::sort(order.begin(), order.end(), less);
        break;
      case SortKind::Partition:
      case SortKind::ArgPartition:
        std::nth_element(order.begin(), order.begin() + param, order.end(), less);
        break;
      case SortKind::TopK:
      case SortKind::ArgTopK:
        // Select the k largest, then order just those: O(n + k log k).
        if (out_n == 0) break;
        if (first > 0) std::nth_element(order.begin(), order.begin() + first, order.end(), less);
        std::sort(order.begin() + first, order.end(), less);
        break;
    }
    if (idx_out) {
      uint32_t* dst = out.data<uint32_t>() + out_off;
      for (int64_t j = 0; j < out_n; ++j) dst[j * out_st] = order[first + j];
    } else {
      T* dst = out.data<T>() + out_off;
      for (int64_t j = 0; j < out_n; ++j) dst[j * out_st] = src[in_off + int64_t(order[first + j]) * in_st];
    }
  };
  strided_loop<2>(lanes, {ist, ost},
                  [&](const std::array<int64_t, 2>& o, int64_t m, const std::array<int64_t, 2>& st) {
                    for (int64_t i = 0; i < m; ++i) lane(o[0] + i * st[0], o[1] + i * st[1]);
                  });
}

}  // namespace

void sort_eval(const array& in, array& out, SortKind kind, int axis, int param) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (in.size() == 0 || out.size() == 0) return;
  dispatch_all(in.dtype(), [&](auto t) { sort_kernel<typename decltype(t)::type>(in, out, kind, axis, param); });
}

}  // namespace mlx

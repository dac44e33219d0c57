#include "scatter.h"

#include <type_traits>

#include "copy.h"
#include "dispatch.h"
#include "gather.h"
#include "iterate.h"
#include "wrapping.h"

namespace mlx {

namespace {

// Reduce functors on compute types (float16/bfloat16 in float32). Max/Min propagate NaN
// from the update, as np.maximum.at does.
struct SetOp {
  template <typename C>
  C operator()(C, C v) const { return v; }
};
struct SumOp {
  template <typename C>
  C operator()(C d, C v) const { return wrap_add(d, v); }
};
struct ProdOp {
  template <typename C>
  C operator()(C d, C v) const {
    if constexpr (std::is_same_v<C, bool>) return d && v;  // bool product is logical and
    else return wrap_mul(d, v);
  }
};
struct MaxOp {
  template <typename C>
  C operator()(C d, C v) const { return (v > d || v != v) ? v : d; }
};
struct MinOp {
  template <typename C>
  C operator()(C d, C v) const { return (v < d || v != v) ? v : d; }
};

template <typename T, typename Op>
void scatter_kernel(const array& upd, const std::vector<int64_t>& starts, const Shape& batch,
                    const Shape& slice, const Strides& slice_upd_strides, array& out, Op op) {
  using C = compute_t<T>;
  const T* u = upd.data<T>();
  T* d = out.data<T>();
  // Offsets of each index position's update slice, in the same row order as `starts`.
  std::vector<int64_t> upd_starts;
  upd_starts.reserve(starts.size());
  Strides batch_strides(upd.strides().begin(), upd.strides().begin() + batch.size());
  strided_loop<1>(batch, {batch_strides},
                  [&](const std::array<int64_t, 1>& o, int64_t n, const std::array<int64_t, 1>& st) {
                    for (int64_t i = 0; i < n; ++i) upd_starts.push_back(o[0] + i * st[0]);
                  });
  // Sequential over index positions: repeated indices see each other's results.
  for (size_t b = 0; b < starts.size(); ++b) {
    T* db = d + starts[b];
    const T* ub = u + upd_starts[b];
    strided_loop<2>(slice, {out.strides(), slice_upd_strides},
                    [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                      for (int64_t i = 0; i < n; ++i) {
                        T& x = db[o[0] + i * st[0]];
                        x = convert<T>(op(convert<C>(x), convert<C>(ub[o[1] + i * st[1]])));
                      }
                    });
  }
}

}  // namespace

void scatter_eval(const array& src, const std::vector<array>& indices, const array& updates,
                  const std::vector<int>& axes, ScatterType type, array& out, const std::string& op) {
  int nb = updates.ndim() - src.ndim();
  Shape batch(updates.shape().begin(), updates.shape().begin() + nb);
  Shape slice(updates.shape().begin() + nb, updates.shape().end());
  // Resolve (and check) every index against the row-contiguous output before writing.
  std::vector<int64_t> starts = index_offsets(indices, axes, src.shape(), row_strides(src.shape()), slice, op);
  copy_or_donate(src, out);
  if (updates.size() == 0) return;
  Strides slice_strides(updates.strides().begin() + nb, updates.strides().end());
  dispatch_all(out.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    switch (type) {
      case ScatterType::None: return scatter_kernel<T>(updates, starts, batch, slice, slice_strides, out, SetOp{});
      case ScatterType::Sum: return scatter_kernel<T>(updates, starts, batch, slice, slice_strides, out, SumOp{});
      case ScatterType::Prod: return scatter_kernel<T>(updates, starts, batch, slice, slice_strides, out, ProdOp{});
      case ScatterType::Max: return scatter_kernel<T>(updates, starts, batch, slice, slice_strides, out, MaxOp{});
      case ScatterType::Min: return scatter_kernel<T>(updates, starts, batch, slice, slice_strides, out, MinOp{});
    }
  });
}

}  // namespace mlx

#include "reduce.h"

#include <cmath>
#include <limits>

#include "allocator.h"
#include "dispatch.h"
#include "iterate.h"
#include "reduce_split.h"
#include "reducers.h"

namespace mlx {

namespace {

template <typename T, template <typename> class Reducer>
void reduce_kernel(const array& in, array& out, const std::vector<int>& axes) {
  using In = T;
  using Out = T;
  using Acc = compute_t<Out>;
  using R = Reducer<Acc>;
  // Accumulate in the compute type: a separate buffer only when storage differs (16-bit floats).
  std::vector<Acc> scratch;
  Acc* acc;
  if constexpr (std::is_same_v<Acc, Out>) {
    acc = out.data<Out>();
  } else {
    scratch.resize(out.size());
    acc = scratch.data();
  }
  if (reduce_split<In, R>(in, out, axes, acc)) {
    if constexpr (!std::is_same_v<Acc, Out>) {
      Out* dst = out.data<Out>();
      for (size_t i = 0; i < out.size(); ++i) dst[i] = Out(acc[i]);
    }
    return;
  }
  for (size_t i = 0; i < out.size(); ++i) acc[i] = R::init();

  // Walk the input in its own order; the output offset ignores reduced axes (stride 0).
  Strides out_strides = row_strides(out.shape());
  for (int ax : axes) out_strides[ax] = 0;
  const In* src = in.data<In>();
  strided_loop<2>(in.shape(), {in.strides(), out_strides},
                  [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                    const In* s = src + o[0];
                    if (st[1] == 0) {
                      // The run is reduced into one output element.
                      Acc v = R::init();
                      if (st[0] == 1) {
                        v = reduce_run<In, R, Acc>(s, n);
                      } else {
                        for (int64_t i = 0; i < n; ++i) v = R::combine(v, convert<Acc>(s[i * st[0]]));
                      }
                      acc[o[1]] = R::combine(acc[o[1]], v);
                    } else if (st[0] == 1 && st[1] == 1) {
                      // A run along a kept axis, both sides contiguous (e.g. a sum over
                      // axis 0 of a row-major matrix): element-wise into the accumulators,
                      // a loop the compiler vectorises.
                      Acc* a = acc + o[1];
                      for (int64_t i = 0; i < n; ++i) a[i] = R::combine(a[i], convert<Acc>(s[i]));
                    } else {
                      Acc* a = acc + o[1];
                      for (int64_t i = 0; i < n; ++i)
                        a[i * st[1]] = R::combine(a[i * st[1]], convert<Acc>(s[i * st[0]]));
                    }
                  });
  if constexpr (!std::is_same_v<Acc, Out>) {
    Out* dst = out.data<Out>();
    for (size_t i = 0; i < out.size(); ++i) dst[i] = Out(acc[i]);
  }
}

}  // namespace

const char* reduce_type_name(ReduceType type) {
  switch (type) {
    case ReduceType::Sum: return "Sum";
    case ReduceType::Max: return "Max";
    case ReduceType::Min: return "Min";
    case ReduceType::Prod: return "Prod";
    case ReduceType::And: return "All";
    case ReduceType::Or: return "Any";
  }
  return "Reduce";
}

void reduce_eval(const array& in, array& out, const std::vector<int>& axes, ReduceType type) {
  out.set_data(allocator::malloc(out.nbytes()));
  dispatch_all(in.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    switch (type) {
      case ReduceType::Sum: return reduce_kernel<T, SumReducer>(in, out, axes);
      case ReduceType::Max: return reduce_kernel<T, MaxReducer>(in, out, axes);
      case ReduceType::Min: return reduce_kernel<T, MinReducer>(in, out, axes);
      case ReduceType::Prod: return reduce_kernel<T, ProdReducer>(in, out, axes);
      case ReduceType::And: return reduce_kernel<T, AndReducer>(in, out, axes);
      case ReduceType::Or: return reduce_kernel<T, OrReducer>(in, out, axes);
    }
  });
}

}  // namespace mlx

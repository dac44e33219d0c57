#include "scan.h"

#include "allocator.h"
#include "axis_lines.h"
#include "dispatch.h"
#include "reducers.h"

namespace mlx {

namespace {

template <typename T, template <typename> class Reducer>
void scan_kernel(const array& in, array& out, int axis, bool reverse, bool inclusive) {
  using Acc = compute_t<T>;
  using R = Reducer<Acc>;
  const T* src = in.data<T>();
  T* dst = out.data<T>();
  Strides ost = row_strides(out.shape());
  const int64_t n = in.shape(axis);
  const int64_t is = in.strides(axis), os = ost[axis];
  for_each_line(in.shape(), in.strides(), ost, axis, [&](int64_t io, int64_t oo) {
    Acc acc = R::init();
    for (int64_t k = 0; k < n; ++k) {
      int64_t i = reverse ? n - 1 - k : k;
      Acc x = convert<Acc>(src[io + i * is]);
      if (inclusive) {
        acc = R::combine(acc, x);
        dst[oo + i * os] = convert<T>(acc);
      } else {
        dst[oo + i * os] = convert<T>(acc);
        acc = R::combine(acc, x);
      }
    }
  });
}

}  // namespace

const char* scan_type_name(ScanType type) {
  switch (type) {
    case ScanType::Sum: return "CumSum";
    case ScanType::Prod: return "CumProd";
    case ScanType::Max: return "CumMax";
    case ScanType::Min: return "CumMin";
    case ScanType::LogAddExp: return "CumLogSumExp";
  }
  return "Scan";
}

void scan_eval(const array& in, array& out, int axis, ScanType type, bool reverse, bool inclusive) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  dispatch_all(in.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    switch (type) {
      case ScanType::Sum: return scan_kernel<T, SumReducer>(in, out, axis, reverse, inclusive);
      case ScanType::Prod: return scan_kernel<T, ProdReducer>(in, out, axis, reverse, inclusive);
      case ScanType::Max: return scan_kernel<T, MaxReducer>(in, out, axis, reverse, inclusive);
      case ScanType::Min: return scan_kernel<T, MinReducer>(in, out, axis, reverse, inclusive);
      case ScanType::LogAddExp:
        if constexpr (std::is_floating_point_v<compute_t<T>>) {
          return scan_kernel<T, LogAddExpReducer>(in, out, axis, reverse, inclusive);
        } else {
          throw std::invalid_argument("[logcumsumexp] Expected a floating point dtype.");
        }
    }
  });
}

}  // namespace mlx

#include "arg_reduce.h"

#include "allocator.h"
#include "axis_lines.h"
#include "compare.h"
#include "dispatch.h"

namespace mlx {

namespace {

template <typename T, bool IsMax>
void arg_reduce_kernel(const array& in, array& out, int axis) {
  using C = compute_t<T>;
  const T* src = in.data<T>();
  uint32_t* dst = out.data<uint32_t>();
  const int64_t n = in.shape(axis);
  const int64_t step = in.strides(axis);
  for_each_line(in.shape(), in.strides(), row_strides(out.shape()), axis, [&](int64_t io, int64_t oo) {
    const T* line = src + io;
    C best = C(line[0]);
    uint32_t best_i = 0;
    for (int64_t i = 1; i < n && !detail::is_nan(best); ++i) {
      C v = C(line[i * step]);
      if (detail::is_nan(v) || (IsMax ? v > best : v < best)) {
        best = v;
        best_i = static_cast<uint32_t>(i);
      }
    }
    dst[oo] = best_i;
  });
}

}  // namespace

void arg_reduce_eval(const array& in, array& out, int axis, bool is_max) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  dispatch_all(in.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    if (is_max) {
      arg_reduce_kernel<T, true>(in, out, axis);
    } else {
      arg_reduce_kernel<T, false>(in, out, axis);
    }
  });
}

}  // namespace mlx

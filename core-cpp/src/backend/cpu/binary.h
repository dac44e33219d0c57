// The element-wise binary kernel family. The op has already broadcast both inputs to the
// output shape (as views with zero strides) and promoted them to one dtype. The ops'
// functors are in elementwise_ops.h.
#pragma once

#include "allocator.h"
#include "threading/parallel.h"
#include "binary_span.h"
#include "dispatch.h"
#include "iterate.h"
#include "kinds.h"
#include "strided_parallel.h"

namespace mlx {

namespace detail {
inline bool donate_to(const array& in, array& out) {
  if (in.is_donatable() && in.flags().row_contiguous && in.data_size() == out.size() &&
      in.dtype() == out.dtype()) {
    out.copy_shared_buffer(in);
    return true;
  }
  return false;
}
}  // namespace detail

// T is the inputs' storage type, U the output's. `donate` false keeps the inputs intact
// (a multi-output op runs several passes over the same inputs).
template <typename T, typename U, typename Op>
void binary_kernel(const array& a, const array& b, array& out, Op op, bool donate = true) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  const size_t n = out.size();
  bool a_scalar = a.data_size() == 1, b_scalar = b.data_size() == 1;
  bool a_row = a.flags().row_contiguous, b_row = b.flags().row_contiguous;
  if ((a_row || a_scalar) && (b_row || b_scalar)) {
    // Dense fast paths: both dense, or one side a single broadcast value.
    if (!donate || (!(a_row && detail::donate_to(a, out)) && !(b_row && detail::donate_to(b, out)))) {
      out.set_data(allocator::malloc(out.nbytes()));
    }
    U* po = out.data<U>();
    // Large outputs are split over the thread pool (in place is fine: each chunk reads
    // and writes only its own range).
    parallel_for(int64_t(n), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
      size_t m = size_t(hi - lo);
      if (a_scalar && b_scalar) {
        using C = compute_t<T>;
        const U v = U(op(C(pa[0]), C(pb[0])));
        for (size_t i = 0; i < m; ++i) po[lo + i] = v;
      } else if (a_scalar) {
        binary_span<SpanMode::SV>(pa, pb + lo, po + lo, m, op);
      } else if (b_scalar) {
        binary_span<SpanMode::VS>(pa + lo, pb, po + lo, m, op);
      } else {
        binary_span<SpanMode::VV>(pa + lo, pb + lo, po + lo, m, op);
      }
    });
    return;
  }
  // Broadcasts along some axes (x [m, n] + row [n]) and strided views: the runs along the
  // innermost axis, split over the thread pool.
  out.set_data(allocator::malloc(out.nbytes()));
  U* po = out.data<U>();
  parallel_strided_loop<3>(
      out.shape(), {a.strides(), b.strides(), out.strides()}, kElementwiseGrain,
      [&](const std::array<int64_t, 3>& o, int64_t m, const std::array<int64_t, 3>& st) {
        const T* x = pa + o[0];
        const T* y = pb + o[1];
        U* z = po + o[2];
        if (st[2] == 1 && st[0] == 1 && st[1] == 1) {
          binary_span<SpanMode::VV>(x, y, z, size_t(m), op);
        } else if (st[2] == 1 && st[0] == 0 && st[1] == 1) {
          binary_span<SpanMode::SV>(x, y, z, size_t(m), op);
        } else if (st[2] == 1 && st[0] == 1 && st[1] == 0) {
          binary_span<SpanMode::VS>(x, y, z, size_t(m), op);
        } else {
          using C = compute_t<T>;
          for (int64_t i = 0; i < m; ++i) z[i * st[2]] = U(op(C(x[i * st[0]]), C(y[i * st[1]])));
        }
      });
}

// Runs `op` for the dtypes of kinds K (the inputs' dtype); the output has that dtype, or
// bool when BoolOut (logical ops, comparisons).
template <Kinds K, bool BoolOut = false, typename Op>
void binary_eval(const array& a, const array& b, array& out, Op op, const char* name, bool donate = true) {
  dispatch_kinds<K>(a.dtype(), name, [&](auto t) {
    using T = typename decltype(t)::type;
    binary_kernel<T, std::conditional_t<BoolOut, bool, T>>(a, b, out, op, donate);
  });
}

}  // namespace mlx

// The element-wise unary kernel family: one template, instantiated per op and dtype.
#pragma once

#include <cmath>

#include "../allocator.h"
#include "../threading/parallel.h"
#include "dispatch.h"
#include "iterate.h"
#include "kinds.h"

namespace mlx {

// Op functors take and return compute_t<T> values.
struct NegativeOp {
  template <typename T>
  T operator()(T x) const {
    return -x;
  }
};
struct ExpOp {
  template <typename T>
  T operator()(T x) const {
    return std::exp(x);
  }
};
struct LogOp {
  template <typename T>
  T operator()(T x) const {
    return std::log(x);
  }
};
struct TanhOp {
  template <typename T>
  T operator()(T x) const {
    return std::tanh(x);
  }
};

// T is the input's storage type, U the output's (bool for predicates like isnan).
template <typename T, typename U = T, typename Op>
void unary_kernel(const array& in, array& out, Op op) {
  using C = compute_t<T>;
  if (in.flags().contiguous) {
    // Keep the input's layout: one pass over its buffer, in place when it is donated.
    size_t n = in.data_size();
    if (in.is_donatable() && in.dtype() == out.dtype()) {
      out.copy_shared_buffer(in);
    } else {
      out.set_data(allocator::malloc(n * sizeof(U)), n, in.strides(), in.flags());
    }
    const T* src = in.data<T>();
    U* dst = out.data<U>();
    parallel_for(int64_t(n), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) dst[i] = U(op(C(src[i])));
    });
    return;
  }
  out.set_data(allocator::malloc(out.nbytes()));
  const T* src = in.data<T>();
  U* dst = out.data<U>();
  strided_loop<2>(in.shape(), {in.strides(), out.strides()},
                  [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                    for (int64_t i = 0; i < n; ++i) dst[o[1] + i * st[1]] = U(op(C(src[o[0] + i * st[0]])));
                  });
}

// Runs `op` on every dtype for which `Supported<T>` holds.
template <typename Op>
void unary_eval(const array& in, array& out, Op op, const char* name, bool floating_only) {
  if (floating_only) {
    dispatch_floating(in.dtype(), name, [&](auto t) { unary_kernel<typename decltype(t)::type>(in, out, op); });
  } else {
    dispatch_all(in.dtype(), [&](auto t) {
      using T = typename decltype(t)::type;
      if constexpr (std::is_same_v<T, bool>) {
        throw std::invalid_argument(std::string("[") + name + "] Not supported for bool.");
      } else {
        unary_kernel<T>(in, out, op);
      }
    });
  }
}

// Runs `op` for the dtypes of kinds K; the output has the input's dtype, or bool when
// BoolOut (predicates such as isnan).
template <Kinds K, bool BoolOut = false, typename Op>
void unary_eval(const array& in, array& out, Op op, const char* name) {
  dispatch_kinds<K>(in.dtype(), name, [&](auto t) {
    using T = typename decltype(t)::type;
    unary_kernel<T, std::conditional_t<BoolOut, bool, T>>(in, out, op);
  });
}

}  // namespace mlx

// The element-wise unary kernel family: one template, instantiated per op and dtype (the
// ops' functors are in elementwise_ops.h).
#pragma once

#include <cmath>

#include "allocator.h"
#include "threading/parallel.h"
#include "dispatch.h"
#include "iterate.h"
#include "kinds.h"

namespace mlx {

// Ops with a vectorised float32 form declare `static void span_f32(x, y, n)`.
template <typename Op, typename = void>
struct has_span_f32 : std::false_type {};
template <typename Op>
struct has_span_f32<Op, std::void_t<decltype(&Op::span_f32)>> : std::true_type {};

// dst[i] = op(src[i]) through Op::span_f32: float32 directly, 16-bit floats widened and
// narrowed in blocks on the stack.
template <typename T, typename Op>
void unary_span_f32(const T* src, T* dst, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    Op::span_f32(src, dst, n);
  } else {
    constexpr size_t B = 256;
    float buf[B];
    for (size_t i = 0; i < n; i += B) {
      size_t m = n - i < B ? n - i : B;
      for (size_t k = 0; k < m; ++k) buf[k] = float(src[i + k]);
      Op::span_f32(buf, buf, m);
      for (size_t k = 0; k < m; ++k) dst[i + k] = T(buf[k]);
    }
  }
}

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
      if constexpr (has_span_f32<Op>::value && std::is_same_v<C, float> && std::is_same_v<T, U>) {
        unary_span_f32<T, Op>(src + lo, dst + lo, size_t(hi - lo));
      } else {
        // 32-bit pointers and count: with int64_t indices clang's wasm vector loop spends
        // more on index arithmetic than on the op.
        const T* s = src + lo;
        U* d = dst + lo;
        const size_t m = size_t(hi - lo);
        for (size_t i = 0; i < m; ++i) d[i] = U(op(C(s[i])));
      }
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

// The ternary kernel family (where/select): out = cond ? x : y. The op has broadcast all
// three inputs to the output shape, made cond bool and x, y the output dtype.
#pragma once

#include "allocator.h"
#include "dispatch.h"
#include "iterate.h"

namespace mlx {

template <typename T>
void select_kernel(const array& cond, const array& x, const array& y, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  const bool* pc = cond.data<bool>();
  const T* px = x.data<T>();
  const T* py = y.data<T>();
  T* po = out.data<T>();
  if (cond.flags().row_contiguous && x.flags().row_contiguous && y.flags().row_contiguous) {
    for (size_t i = 0; i < out.size(); ++i) po[i] = pc[i] ? px[i] : py[i];
    return;
  }
  strided_loop<4>(out.shape(), {cond.strides(), x.strides(), y.strides(), out.strides()},
                  [&](const std::array<int64_t, 4>& o, int64_t n, const std::array<int64_t, 4>& st) {
                    for (int64_t i = 0; i < n; ++i) {
                      po[o[3] + i * st[3]] =
                          pc[o[0] + i * st[0]] ? px[o[1] + i * st[1]] : py[o[2] + i * st[2]];
                    }
                  });
}

inline void select_eval(const array& cond, const array& x, const array& y, array& out) {
  dispatch_all(out.dtype(), [&](auto t) { select_kernel<typename decltype(t)::type>(cond, x, y, out); });
}

}  // namespace mlx

#include "copy.h"

#include "allocator.h"
#include "dispatch.h"
#include "iterate.h"

namespace mlx {

namespace {

template <typename In, typename Out>
void copy_contiguous(const In* src, Out* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = convert<Out>(src[i]);
}

template <typename In, typename Out>
void copy_strided(const array& src, array& dst) {
  const In* s = src.data<In>();
  Out* d = dst.data<Out>();
  strided_loop<2>(src.shape(), {src.strides(), dst.strides()},
                  [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                    const In* sp = s + o[0];
                    Out* dp = d + o[1];
                    if (st[0] == 1 && st[1] == 1) {
                      copy_contiguous(sp, dp, n);
                    } else {
                      for (int64_t i = 0; i < n; ++i) dp[i * st[1]] = convert<Out>(sp[i * st[0]]);
                    }
                  });
}

template <typename F>
void dispatch_pair(Dtype a, Dtype b, F&& f) {
  dispatch_all(a, [&](auto ta) {
    dispatch_all(b, [&](auto tb) { f(ta, tb); });
  });
}

}  // namespace

void copy_general(const array& src, array& dst) {
  dispatch_pair(src.dtype(), dst.dtype(), [&](auto ti, auto to) {
    using In = typename decltype(ti)::type;
    using Out = typename decltype(to)::type;
    if (src.flags().row_contiguous && dst.flags().row_contiguous) {
      copy_contiguous(src.data<In>(), dst.data<Out>(), src.size());
    } else {
      copy_strided<In, Out>(src, dst);
    }
  });
}

void copy_or_donate(const array& src, array& out) {
  if (src.is_donatable() && src.flags().row_contiguous && src.dtype() == out.dtype()) {
    out.copy_shared_buffer(src);
  } else {
    out.set_data(allocator::malloc(out.nbytes()));
    copy_general(src, out);
  }
}

void copy_to_output(const array& in, array& out) {
  if (in.flags().contiguous && in.data_size() == in.size()) {
    // Same layout as the input, one pass over its buffer.
    out.set_data(allocator::malloc(in.data_size() * out.itemsize()), in.data_size(), in.strides(),
                 in.flags());
    dispatch_pair(in.dtype(), out.dtype(), [&](auto ti, auto to) {
      using In = typename decltype(ti)::type;
      using Out = typename decltype(to)::type;
      copy_contiguous(in.data<In>(), out.data<Out>(), in.data_size());
    });
  } else {
    out.set_data(allocator::malloc(out.nbytes()));
    copy_general(in, out);
  }
}

}  // namespace mlx

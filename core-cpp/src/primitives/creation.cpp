#include "primitives/creation.h"

#include <cmath>

#include "allocator.h"
#include "backend/cpu/dispatch.h"
#include "backend/cpu/iterate.h"
#include "transforms/vmap.h"

namespace mlx {

void Linspace::eval(const std::vector<array>&, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  const int64_t n = out.size();
  // NumPy's formula: start + i * step in double, the last value exactly stop; integer
  // dtypes take the floor.
  const double step = n > 1 ? (stop_ - start_) / double(n - 1) : 0.0;
  dispatch_all(out.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    T* p = out.data<T>();
    for (int64_t i = 0; i < n; ++i) {
      double v = (i == n - 1 && n > 1) ? stop_ : start_ + double(i) * step;
      if constexpr (std::is_integral_v<T>) v = std::floor(v);
      p[i] = convert<T>(v);
    }
  });
}

void TriPattern::eval(const std::vector<array>&, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  const int64_t rows = out.shape(0), cols = out.shape(1);
  dispatch_all(out.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    T* p = out.data<T>();
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        int64_t d = j - i;
        bool on = eye_ ? d == k_ : d <= k_;
        p[i * cols + j] = convert<T>(on ? 1 : 0);
      }
  });
}

void TriMask::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int nd = x.ndim();
  const int64_t rows = x.shape(nd - 2), cols = x.shape(nd - 1);
  const int64_t rs = x.strides(nd - 2), cs = x.strides(nd - 1);
  Shape batch(x.shape().begin(), x.shape().end() - 2);
  Strides bst(x.strides().begin(), x.strides().end() - 2);
  Strides ost = row_strides(batch);
  const int64_t plane = rows * cols;
  dispatch_all(x.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    const T* src = x.data<T>();
    T* dst = out.data<T>();
    auto matrix = [&](int64_t xo, int64_t oo) {
      T* d = dst + oo * plane;
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j) {
          bool keep = upper_ ? j - i >= k_ : j - i <= k_;
          d[i * cols + j] = keep ? src[xo + i * rs + j * cs] : T(0);
        }
    };
    strided_loop<2>(batch, {bst, ost},
                    [&](const std::array<int64_t, 2>& o, int64_t m, const std::array<int64_t, 2>& st) {
                      for (int64_t b = 0; b < m; ++b) matrix(o[0] + b * st[0], o[1] + b * st[1]);
                    });
  });
}

std::vector<array> TriMask::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                const std::vector<array>&) {
  const array& c = cot[0];
  return {array(c.shape(), c.dtype(), std::make_shared<TriMask>(upper_, k_), {c})};
}

std::vector<array> TriMask::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  const array& t = tan[0];
  return {array(t.shape(), t.dtype(), std::make_shared<TriMask>(upper_, k_), {t})};
}

// The mask works on the last two axes: the batch axis goes to the front, out of their way.
std::pair<std::vector<array>, std::vector<int>> TriMask::vmap(const std::vector<array>& in,
                                                              const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  return {{array(x.shape(), x.dtype(), std::make_shared<TriMask>(upper_, k_), {x})}, {0}};
}

void Arange::eval(const std::vector<array>&, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  dispatch_all(out.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    T* p = out.data<T>();
    for (size_t i = 0; i < out.size(); ++i) p[i] = convert<T>(start_ + double(i) * step_);
  });
}

}  // namespace mlx

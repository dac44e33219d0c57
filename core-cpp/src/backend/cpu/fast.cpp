#include "fast.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <optional>
#include <vector>

#include "allocator.h"
#include "threading/parallel.h"
#include "dispatch.h"

namespace mlx {

namespace {

// A row-contiguous version of an evaluated array (a copy only when it is strided).
array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

// Rows per parallel chunk: about kElementwiseGrain elements, so small inputs stay on the
// calling thread.
int64_t row_grain(size_t d) { return std::max<int64_t>(1, kElementwiseGrain / int64_t(std::max<size_t>(d, 1))); }

// Sum of f(x[i]) with four independent accumulators (the adds of a row overlap instead of
// waiting on each other; the order is fixed, so results do not depend on threads).
template <typename C, typename T, typename F>
C row_sum(const T* x, size_t n, F f) {
  C a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += f(C(x[i]));
    a1 += f(C(x[i + 1]));
    a2 += f(C(x[i + 2]));
    a3 += f(C(x[i + 3]));
  }
  for (; i < n; ++i) a0 += f(C(x[i]));
  return (a0 + a1) + (a2 + a3);
}

template <typename T>
void rms_norm_rows(const T* x, const T* w, T* y, size_t rows, size_t d, double eps) {
  using C = compute_t<T>;
  parallel_for(int64_t(rows), row_grain(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + size_t(r) * d;
      T* yr = y + size_t(r) * d;
      C ss = row_sum<C>(xr, d, [](C v) { return v * v; });
      C inv = C(1) / std::sqrt(ss / C(d) + C(eps));
      if (w) {
        for (size_t i = 0; i < d; ++i) yr[i] = T(C(xr[i]) * inv * C(w[i]));
      } else {
        for (size_t i = 0; i < d; ++i) yr[i] = T(C(xr[i]) * inv);
      }
    }
  });
}

template <typename T>
void layer_norm_rows(const T* x, const T* w, const T* b, T* y, size_t rows, size_t d, double eps) {
  using C = compute_t<T>;
  parallel_for(int64_t(rows), row_grain(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + size_t(r) * d;
      T* yr = y + size_t(r) * d;
      C mean = row_sum<C>(xr, d, [](C v) { return v; }) / C(d);
      // The variance of x - mean (not E[x^2] - mean^2): stable when |mean| >> std.
      C var = row_sum<C>(xr, d, [mean](C v) { return (v - mean) * (v - mean); }) / C(d);
      C inv = C(1) / std::sqrt(var + C(eps));
      for (size_t i = 0; i < d; ++i) {
        C o = (C(xr[i]) - mean) * inv;
        if (w) o *= C(w[i]);
        if (b) o += C(b[i]);
        yr[i] = T(o);
      }
    }
  });
}

template <typename T>
void rope_rows(const T* x, T* y, size_t rows, size_t seq_len, size_t d, size_t dims, bool traditional,
               double base, double scale, int offset) {
  using C = compute_t<T>;
  size_t half = dims / 2;
  // cos/sin of every (position, pair), computed as the reference does: positions
  // (offset + l) * scale and frequencies exp(j * -log(base) / half), in C.
  std::vector<C> cs(seq_len * half), sn(seq_len * half);
  C step = C(-std::log(base) / double(half));
  for (size_t l = 0; l < seq_len; ++l) {
    C pos = C(double(offset) + double(l)) * C(scale);
    for (size_t j = 0; j < half; ++j) {
      C theta = pos * std::exp(C(j) * step);
      cs[l * half + j] = std::cos(theta);
      sn[l * half + j] = std::sin(theta);
    }
  }
  size_t i1_step = traditional ? 1 : half;  // second feature of a pair, from the first
  size_t i0_mul = traditional ? 2 : 1;      // first feature of pair j is j * i0_mul
  parallel_for(int64_t(rows), row_grain(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + size_t(r) * d;
      T* yr = y + size_t(r) * d;
      const C* c = cs.data() + (size_t(r) % seq_len) * half;
      const C* s = sn.data() + (size_t(r) % seq_len) * half;
      for (size_t j = 0; j < half; ++j) {
        size_t i0 = j * i0_mul, i1 = i0 + i1_step;
        C a = C(xr[i0]), b = C(xr[i1]);
        yr[i0] = T(a * c[j] - b * s[j]);
        yr[i1] = T(a * s[j] + b * c[j]);
      }
      for (size_t i = dims; i < d; ++i) yr[i] = xr[i];
    }
  });
}


template <typename T, typename M>
void sdpa_rows(const array& q_, const array& k_, const array& v_, const array* mask, bool causal, double scale,
               array& out) {
  using C = compute_t<T>;
  array q = contiguous(q_), k = contiguous(k_), v = contiguous(v_);
  const int64_t B = q.shape(0), Hq = q.shape(1), Lq = q.shape(2), D = q.shape(3);
  const int64_t Hkv = k.shape(1), Lk = k.shape(2), Dv = v.shape(3);
  const int64_t rep = Hq / Hkv;
  const T* qp = q.data<T>();
  const T* kp = k.data<T>();
  const T* vp = v.data<T>();
  T* op = out.data<T>();
  const M* mp = mask ? mask->data<M>() : nullptr;
  int64_t ms[4] = {0, 0, 0, 0};
  if (mask) {
    for (int d = 0; d < 4; ++d) ms[d] = int64_t(mask->strides()[d]);
  }
  // Per-thread scratch (parallel_for chunks must not allocate): scaled q, scores, output.
  const int64_t width = D + Lk + Dv;
  int slots = std::max(threading::usable_threads(), threading::current_tid() + 1);
  std::vector<C> scratch(size_t(slots) * size_t(width));
  const C sc = C(scale);
  const int64_t rows = B * Hq * Lq;
  int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, Lk * (D + Dv)));
  parallel_for(
      rows, grain,
      [&](int64_t r0, int64_t r1, int tid) {
        C* qs = scratch.data() + size_t(tid) * size_t(width);
        C* s = qs + D;
        C* acc = s + Lk;
        for (int64_t r = r0; r < r1; ++r) {
          const int64_t i = r % Lq, h = (r / Lq) % Hq, b = r / (Lq * Hq);
          const T* qr = qp + r * D;
          const int64_t kv = b * Hkv + h / rep;
          const T* kb = kp + kv * Lk * D;
          const T* vb = vp + kv * Lk * Dv;
          for (int64_t d = 0; d < D; ++d) qs[d] = C(qr[d]) * sc;
          const M* mrow = mp ? mp + b * ms[0] + h * ms[1] + i * ms[2] : nullptr;
          const int64_t last = causal ? i + Lk - Lq : Lk - 1;  // keys past `last` are hidden
          C m = -std::numeric_limits<C>::infinity();
          for (int64_t j = 0; j < Lk; ++j) {
            C x = -std::numeric_limits<C>::infinity();
            bool keep = j <= last;
            if constexpr (std::is_same_v<M, bool>) {
              if (mrow) keep = keep && mrow[j * ms[3]];
            }
            if (keep) {
              const T* kr = kb + j * D;
              C a0 = 0, a1 = 0;
              int64_t d = 0;
              for (; d + 2 <= D; d += 2) {
                a0 += qs[d] * C(kr[d]);
                a1 += qs[d + 1] * C(kr[d + 1]);
              }
              if (d < D) a0 += qs[d] * C(kr[d]);
              x = a0 + a1;
              if constexpr (!std::is_same_v<M, bool>) {
                if (mrow) x += C(mrow[j * ms[3]]);
              }
            }
            s[j] = x;
            m = (x > m || std::isnan(x)) ? x : m;
          }
          // A row with nothing visible (max -inf) or a NaN gives NaN, as the composition's
          // softmax does.
          C sum = 0;
          for (int64_t d = 0; d < Dv; ++d) acc[d] = 0;
          for (int64_t j = 0; j < Lk; ++j) {
            C p = std::exp(s[j] - m);
            sum += p;
            if (p == C(0)) continue;  // masked keys add nothing (and skip reading v)
            const T* vr = vb + j * Dv;
            for (int64_t d = 0; d < Dv; ++d) acc[d] += p * C(vr[d]);
          }
          T* orow = op + r * Dv;
          C inv = C(1) / sum;
          for (int64_t d = 0; d < Dv; ++d) orow[d] = T(acc[d] * inv);
        }
      },
      threading::usable_threads());
}

size_t last_dim(const array& x) { return x.ndim() == 0 ? 1 : size_t(x.shape(-1)); }
size_t rows_of(const array& x) {
  size_t d = last_dim(x);
  return d == 0 ? 0 : x.size() / d;
}

}  // namespace

void rms_norm_eval(const array& x_, const array* w_, double eps, array& out) {
  array x = contiguous(x_);
  std::optional<array> w;
  if (w_) w = contiguous(*w_);
  out.set_data(allocator::malloc(out.nbytes()));
  dispatch_floating(out.dtype(), "rms_norm", [&](auto t) {
    using T = typename decltype(t)::type;
    rms_norm_rows(x.data<T>(), w ? w->data<T>() : nullptr, out.data<T>(), rows_of(x), last_dim(x), eps);
  });
}

void layer_norm_eval(const array& x_, const array* w_, const array* b_, double eps, array& out) {
  array x = contiguous(x_);
  std::optional<array> w, b;
  if (w_) w = contiguous(*w_);
  if (b_) b = contiguous(*b_);
  out.set_data(allocator::malloc(out.nbytes()));
  dispatch_floating(out.dtype(), "layer_norm", [&](auto t) {
    using T = typename decltype(t)::type;
    layer_norm_rows(x.data<T>(), w ? w->data<T>() : nullptr, b ? b->data<T>() : nullptr, out.data<T>(), rows_of(x),
                    last_dim(x), eps);
  });
}

void rope_eval(const array& x_, int dims, bool traditional, double base, double scale, int offset, array& out) {
  array x = contiguous(x_);
  out.set_data(allocator::malloc(out.nbytes()));
  size_t seq_len = size_t(x.shape(-2));
  if (x.size() == 0) return;
  dispatch_floating(out.dtype(), "rope", [&](auto t) {
    using T = typename decltype(t)::type;
    rope_rows(x.data<T>(), out.data<T>(), rows_of(x), seq_len, last_dim(x), size_t(dims), traditional, base, scale,
              offset);
  });
}

void sdpa_eval(const array& q, const array& k, const array& v, const array* mask_, bool causal, double scale,
               array& out) {
  std::optional<array> mask;
  if (mask_) mask = *mask_;
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  if (k.shape(2) == 0) {  // no keys: the product of empty probabilities and values is 0
    std::memset(out.raw_data(), 0, out.nbytes());
    return;
  }
  dispatch_floating(out.dtype(), "scaled_dot_product_attention", [&](auto t) {
    using T = typename decltype(t)::type;
    if (mask && mask->dtype() == Dtype::bool_) {
      sdpa_rows<T, bool>(q, k, v, &*mask, causal, scale, out);
    } else {
      sdpa_rows<T, T>(q, k, v, mask ? &*mask : nullptr, causal, scale, out);
    }
  });
}

}  // namespace mlx

#include "fft.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "allocator.h"
#include "axis_lines.h"
#include "complex_type.h"
#include "threading/parallel.h"

namespace mlx {
namespace fft_detail {
namespace {

// Plain complex arithmetic: std::complex's operator* takes the C99 Annex G path (NaN and
// infinity recovery through a library call), several times slower in the inner loops.
inline cplx add(cplx a, cplx b) { return {a.re + b.re, a.im + b.im}; }
inline cplx sub(cplx a, cplx b) { return {a.re - b.re, a.im - b.im}; }
inline cplx mul(cplx a, cplx b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
inline cplx conj(cplx a) { return {a.re, -a.im}; }
inline cplx times_minus_i(cplx a) { return {a.im, -a.re}; }

constexpr double kPi = 3.14159265358979323846264338327950288;

// exp(-2 pi i k / n) for 0 <= k < n.
cplx unit_root(int64_t k, int64_t n) {
  double a = -2.0 * kPi * static_cast<double>(k) / static_cast<double>(n);
  return {std::cos(a), std::sin(a)};
}

// A transform of one length, built once and shared (read-only) by every thread.
struct Plan {
  int64_t n = 0;
  // Stockham: the radices in order and the n-th roots of unity (every stage's twiddles
  // are among them: stage twiddle exp(-2 pi i jp / L) is root jp * n / L).
  std::vector<int> radices;
  std::vector<cplx> roots;
  // Bluestein (when `sub` is set): the power-of-two length m >= 2n - 1, its plan, the chirp
  // exp(-pi i k^2 / n) (k < n) and the transform of the conjugate chirp wrapped around
  // length m, divided by m (the 1/m of the inverse transform folded in).
  int64_t m = 0;
  std::shared_ptr<const Plan> sub;
  std::vector<cplx> chirp;
  std::vector<cplx> kernel;

  // Complex scratch values `run` needs beside the line.
  int64_t scratch() const { return sub ? 2 * m : n; }
};

// Radix `r` butterfly on a[0..r): b_j = sum_k a_k exp(-2 pi i jk / r).
template <int R>
inline void butterfly(const cplx* a, cplx* b, const cplx* roots_r) {
  if constexpr (R == 2) {
    b[0] = add(a[0], a[1]);
    b[1] = sub(a[0], a[1]);
  } else if constexpr (R == 3) {
    constexpr double s = 0.86602540378443864676372317075293618;  // sqrt(3) / 2
    cplx t = add(a[1], a[2]);
    b[0] = add(a[0], t);
    cplx u = {a[0].re - 0.5 * t.re, a[0].im - 0.5 * t.im};
    cplx d = sub(a[1], a[2]);
    cplx v = {s * d.im, -s * d.re};  // -i sqrt(3)/2 (a1 - a2)
    b[1] = add(u, v);
    b[2] = sub(u, v);
  } else if constexpr (R == 4) {
    cplx t0 = add(a[0], a[2]), t1 = sub(a[0], a[2]);
    cplx t2 = add(a[1], a[3]), t3 = times_minus_i(sub(a[1], a[3]));
    b[0] = add(t0, t2);
    b[2] = sub(t0, t2);
    b[1] = add(t1, t3);
    b[3] = sub(t1, t3);
  } else {
    for (int j = 0; j < R; ++j) {
      cplx acc = a[0];
      for (int k = 1; k < R; ++k) acc = add(acc, mul(a[k], roots_r[(j * k) % R]));
      b[j] = acc;
    }
  }
}

// One Stockham stage (decimation in frequency, self-sorting): the current sub-transforms
// have length L = r * m and there are s of them interleaved (element q + s * i of x is
// element i of sub-transform q). Output element q + s * (r p + j) is
// (sum_k x[q + s (p + k m)] w_r^{jk}) * w_L^{jp}.
template <int R>
void stage(const cplx* x, cplx* y, int64_t m, int64_t s, const cplx* roots, int64_t root_step,
           const cplx* roots_r) {
  const int64_t sm = s * m;
  cplx a[R], b[R], w[R];
  for (int64_t p = 0; p < m; ++p) {
    for (int j = 1; j < R; ++j) w[j] = roots[static_cast<int64_t>(j) * p * root_step];
    const cplx* xp = x + s * p;
    cplx* yp = y + s * R * p;
    for (int64_t q = 0; q < s; ++q) {
      for (int k = 0; k < R; ++k) a[k] = xp[q + k * sm];
      butterfly<R>(a, b, roots_r);
      yp[q] = b[0];
      if (p == 0) {
        for (int j = 1; j < R; ++j) yp[q + j * s] = b[j];
      } else {
        for (int j = 1; j < R; ++j) yp[q + j * s] = mul(b[j], w[j]);
      }
    }
  }
}

// Forward transform of a Stockham plan, in place in x (y: n scratch values).
void run_stockham(const Plan& plan, cplx* x, cplx* y) {
  const int64_t n = plan.n;
  cplx* a = x;
  cplx* b = y;
  int64_t L = n, s = 1;
  for (int r : plan.radices) {
    const int64_t m = L / r;
    const int64_t step = n / L;
    // The r-th roots of unity for the generic butterflies (radix 5 and 7).
    cplx roots_r[7];
    for (int t = 0; t < r; ++t) roots_r[t] = plan.roots[t * (n / r)];
    switch (r) {
      case 2: stage<2>(a, b, m, s, plan.roots.data(), step, roots_r); break;
      case 3: stage<3>(a, b, m, s, plan.roots.data(), step, roots_r); break;
      case 4: stage<4>(a, b, m, s, plan.roots.data(), step, roots_r); break;
      case 5: stage<5>(a, b, m, s, plan.roots.data(), step, roots_r); break;
      default: stage<7>(a, b, m, s, plan.roots.data(), step, roots_r); break;
    }
    std::swap(a, b);
    L = m;
    s *= r;
  }
  if (a != x) std::copy(a, a + n, x);
}

// Forward transform of any plan, in place in x; work holds plan.scratch() values.
void run_forward(const Plan& plan, cplx* x, cplx* work) {
  if (!plan.sub) {
    run_stockham(plan, x, work);
    return;
  }
  // Bluestein: X_k = c_k sum_j (x_j c_j) conj(c_{k-j}), a circular convolution of length m
  // computed as an inverse transform of a product of transforms.
  const int64_t n = plan.n, m = plan.m;
  cplx* a = work;
  cplx* tmp = work + m;
  for (int64_t k = 0; k < n; ++k) a[k] = mul(x[k], plan.chirp[k]);
  std::fill(a + n, a + m, cplx{0, 0});
  run_stockham(*plan.sub, a, tmp);
  // The inverse transform as conj(forward(conj(.))); the kernel carries the 1/m.
  for (int64_t k = 0; k < m; ++k) a[k] = conj(mul(a[k], plan.kernel[k]));
  run_stockham(*plan.sub, a, tmp);
  for (int64_t k = 0; k < n; ++k) x[k] = mul(conj(a[k]), plan.chirp[k]);
}

std::vector<int> factor(int64_t n) {
  std::vector<int> r;
  while (n % 4 == 0) r.push_back(4), n /= 4;
  for (int p : {2, 3, 5, 7}) {
    while (n % p == 0) r.push_back(p), n /= p;
  }
  if (n != 1) return {};
  return r;
}

std::shared_ptr<const Plan> get_plan(int64_t n);

std::shared_ptr<const Plan> make_plan(int64_t n) {
  auto plan = std::make_shared<Plan>();
  plan->n = n;
  plan->radices = factor(n);
  if (n == 1 || !plan->radices.empty()) {
    plan->roots.resize(n);
    for (int64_t k = 0; k < n; ++k) plan->roots[k] = unit_root(k, n);
    return plan;
  }
  int64_t m = 1;
  while (m < 2 * n - 1) m *= 2;
  plan->m = m;
  plan->sub = get_plan(m);
  plan->chirp.resize(n);
  const uint64_t two_n = 2 * static_cast<uint64_t>(n);
  for (int64_t k = 0; k < n; ++k) {
    // k^2 mod 2n in integers keeps the angle exact for large k.
    uint64_t kk = static_cast<uint64_t>(k) * static_cast<uint64_t>(k) % two_n;
    double a = -kPi * static_cast<double>(kk) / static_cast<double>(n);
    plan->chirp[k] = {std::cos(a), std::sin(a)};
  }
  std::vector<cplx> b(m, cplx{0, 0}), work(m);
  b[0] = conj(plan->chirp[0]);
  for (int64_t k = 1; k < n; ++k) b[k] = b[m - k] = conj(plan->chirp[k]);
  run_stockham(*plan->sub, b.data(), work.data());
  const double inv_m = 1.0 / static_cast<double>(m);
  for (auto& v : b) v = {v.re * inv_m, v.im * inv_m};
  plan->kernel = std::move(b);
  return plan;
}

// Plans by length. Built outside the lock (a Bluestein plan asks for its sub-plan); a
// plan in use stays alive through its shared_ptr when the cache is cleared.
std::shared_ptr<const Plan> get_plan(int64_t n) {
  static std::mutex mutex;
  static std::unordered_map<int64_t, std::shared_ptr<const Plan>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(n);
    if (it != cache.end()) return it->second;
  }
  auto plan = make_plan(n);
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= 16) cache.clear();
  cache.emplace(n, plan);
  return plan;
}

void run(const Plan& plan, cplx* x, cplx* work, bool inverse) {
  if (inverse) {
    for (int64_t k = 0; k < plan.n; ++k) x[k].im = -x[k].im;
  }
  run_forward(plan, x, work);
  if (inverse) {
    for (int64_t k = 0; k < plan.n; ++k) x[k].im = -x[k].im;
  }
}

// Transforms `lines` lines of length n: load(l, buf) fills buf[0..n), the transform runs in
// place, store(l, buf) writes the line out. Lines are split over threads, each with its
// own line and scratch.
template <typename Load, typename Store>
void for_lines(int64_t lines, int64_t n, bool inverse, Load&& load, Store&& store) {
  if (lines <= 0) return;
  auto plan = get_plan(n);
  const int64_t per_thread = n + plan->scratch();
  // About 32K complex values of work per chunk.
  const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 15) / n);
  int threads = lines > grain ? threading::usable_threads() : 1;
  threads = static_cast<int>(std::min<int64_t>(threads, (lines + grain - 1) / grain));
  std::vector<cplx> buffers(static_cast<size_t>(std::max(threads, 1)) * per_thread);
  auto body = [&](int64_t b, int64_t e, int tid) {
    cplx* buf = buffers.data() + static_cast<int64_t>(tid) * per_thread;
    for (int64_t l = b; l < e; ++l) {
      load(l, buf);
      run(*plan, buf, buf + n, inverse);
      store(l, buf);
    }
  };
  if (threads <= 1) {
    body(0, lines, 0);
  } else {
    parallel_for(lines, grain, body, threads);
  }
}

// Offsets of the lines along `axis`: first elements in a layout with strides `a` and `b`.
std::vector<std::pair<int64_t, int64_t>> line_offsets(const Shape& shape, const Strides& a, const Strides& b,
                                                      int axis) {
  std::vector<std::pair<int64_t, int64_t>> offs;
  for_each_line(shape, a, b, axis, [&](int64_t i, int64_t o) { offs.emplace_back(i, o); });
  return offs;
}

// In-place complex transforms along `axis` of a row-contiguous buffer of `shape`.
void c2c_axis(complex64_t* data, const Shape& shape, int axis, bool inverse) {
  const int64_t n = shape[axis];
  if (n <= 1) return;
  Strides st = row_strides(shape);
  auto offs = line_offsets(shape, st, st, axis);
  const int64_t s = st[axis];
  const double scale = inverse ? 1.0 / static_cast<double>(n) : 1.0;
  for_lines(
      static_cast<int64_t>(offs.size()), n, inverse,
      [&](int64_t l, cplx* buf) {
        const complex64_t* p = data + offs[l].first;
        for (int64_t k = 0; k < n; ++k) buf[k] = {p[k * s].real(), p[k * s].imag()};
      },
      [&](int64_t l, const cplx* buf) {
        complex64_t* p = data + offs[l].first;
        for (int64_t k = 0; k < n; ++k) {
          p[k * s] = complex64_t(static_cast<float>(buf[k].re * scale), static_cast<float>(buf[k].im * scale));
        }
      });
}

// A row-contiguous complex64 copy of `in` (any strides) into dst.
void gather_complex(const array& in, complex64_t* dst) {
  const int ax = in.ndim() - 1;
  const int64_t n = in.shape(ax), is = in.strides(ax);
  const complex64_t* src = in.data<complex64_t>();
  for_each_line(in.shape(), in.strides(), row_strides(in.shape()), ax, [&](int64_t i, int64_t o) {
    for (int64_t k = 0; k < n; ++k) dst[o + k] = src[i + k * is];
  });
}

}  // namespace

void transform(cplx* data, int64_t n, bool inverse) {
  auto plan = get_plan(n);
  std::vector<cplx> work(plan->scratch());
  run(*plan, data, work.data(), inverse);
}

std::vector<int> radices(int64_t n) { return factor(n); }

}  // namespace fft_detail

using fft_detail::cplx;

void fft_eval(const array& in, array& out, const std::vector<int>& axes, bool inverse, bool real) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0 || in.size() == 0) return;
  if (!real) {
    complex64_t* dst = out.data<complex64_t>();
    fft_detail::gather_complex(in, dst);
    for (int ax : axes) fft_detail::c2c_axis(dst, out.shape(), ax, inverse);
    return;
  }
  const int last = axes.back();
  if (!inverse) {
    // Real to complex along the last axis (the first n/2 + 1 outputs kept), then complex
    // transforms along the others.
    const int64_t n = in.shape(last), half = out.shape(last);
    const float* src = in.data<float>();
    complex64_t* dst = out.data<complex64_t>();
    const int64_t is = in.strides(last);
    Strides ost = row_strides(out.shape());
    const int64_t os = ost[last];
    auto offs = fft_detail::line_offsets(in.shape(), in.strides(), ost, last);
    fft_detail::for_lines(
        static_cast<int64_t>(offs.size()), n, false,
        [&](int64_t l, cplx* buf) {
          const float* p = src + offs[l].first;
          for (int64_t k = 0; k < n; ++k) buf[k] = {p[k * is], 0.0};
        },
        [&](int64_t l, const cplx* buf) {
          complex64_t* p = dst + offs[l].second;
          for (int64_t k = 0; k < half; ++k) {
            p[k * os] = complex64_t(static_cast<float>(buf[k].re), static_cast<float>(buf[k].im));
          }
        });
    for (size_t i = 0; i + 1 < axes.size(); ++i) fft_detail::c2c_axis(dst, out.shape(), axes[i], false);
    return;
  }
  // Complex to real: inverse complex transforms along the other axes on a copy, then the
  // last axis from its half spectrum (extended by Hermitian symmetry) to n real values.
  const int64_t n = out.shape(last), half = in.shape(last);
  std::vector<complex64_t> tmp(in.size());
  fft_detail::gather_complex(in, tmp.data());
  for (size_t i = 0; i + 1 < axes.size(); ++i) fft_detail::c2c_axis(tmp.data(), in.shape(), axes[i], true);
  Strides tst = row_strides(in.shape()), ost = row_strides(out.shape());
  const int64_t ts = tst[last], os = ost[last];
  auto offs = fft_detail::line_offsets(in.shape(), tst, ost, last);
  float* dst = out.data<float>();
  const double scale = 1.0 / static_cast<double>(n);
  const int64_t avail = std::min(half, n / 2 + 1);
  fft_detail::for_lines(
      static_cast<int64_t>(offs.size()), n, true,
      [&](int64_t l, cplx* buf) {
        const complex64_t* p = tmp.data() + offs[l].first;
        for (int64_t k = 0; k < avail; ++k) buf[k] = {p[k * ts].real(), p[k * ts].imag()};
        for (int64_t k = avail; k <= n / 2; ++k) buf[k] = {0.0, 0.0};
        buf[0].im = 0;
        if (n % 2 == 0) buf[n / 2].im = 0;
        for (int64_t k = n / 2 + 1; k < n; ++k) buf[k] = {buf[n - k].re, -buf[n - k].im};
      },
      [&](int64_t l, const cplx* buf) {
        float* p = dst + offs[l].second;
        for (int64_t k = 0; k < n; ++k) p[k * os] = static_cast<float>(buf[k].re * scale);
      });
}

}  // namespace mlx

#include "eig.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <vector>

#include "allocator.h"
#include "copy.h"

namespace mlx {

namespace {

// A dense n x n matrix of doubles, row-major.
struct Mat {
  int n;
  std::vector<double> d;
  explicit Mat(int n_) : n(n_), d(size_t(n_) * n_, 0.0) {}
  double& operator()(int i, int j) { return d[size_t(i) * n + j]; }
};

// (a + ib) / (c + id) without needless overflow (Smith's method).
std::complex<double> cdiv(double a, double b, double c, double d) {
  if (std::fabs(c) >= std::fabs(d)) {
    double r = d / c, den = c + r * d;
    return {(a + r * b) / den, (b - r * a) / den};
  }
  double r = c / d, den = d + r * c;
  return {(r * a + b) / den, (r * b - a) / den};
}

// Householder reduction of h to upper Hessenberg form; v accumulates the reflections so that
// the original matrix is v h v^T.
void hessenberg(Mat& h, Mat& v) {
  int n = h.n;
  std::vector<double> u(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) v(i, j) = i == j ? 1.0 : 0.0;
  for (int m = 1; m + 1 < n; ++m) {
    // The reflector that zeroes column m-1 below row m.
    double scale = 0;
    for (int i = m; i < n; ++i) scale += std::fabs(h(i, m - 1));
    if (scale == 0) continue;
    double norm2 = 0;
    for (int i = m; i < n; ++i) {
      u[i] = h(i, m - 1) / scale;
      norm2 += u[i] * u[i];
    }
    double g = std::sqrt(norm2);
    if (u[m] > 0) g = -g;
    double hh = norm2 - u[m] * g;  // u^T u / 2 after u[m] -= g
    u[m] -= g;
    // h = (I - u u^T / hh) h (I - u u^T / hh)
    for (int j = 0; j < n; ++j) {
      double f = 0;
      for (int i = m; i < n; ++i) f += u[i] * h(i, j);
      f /= hh;
      for (int i = m; i < n; ++i) h(i, j) -= f * u[i];
    }
    for (int i = 0; i < n; ++i) {
      double f = 0;
      for (int j = m; j < n; ++j) f += u[j] * h(i, j);
      f /= hh;
      for (int j = m; j < n; ++j) h(i, j) -= f * u[j];
    }
    for (int i = 0; i < n; ++i) {
      double f = 0;
      for (int j = m; j < n; ++j) f += u[j] * v(i, j);
      f /= hh;
      for (int j = m; j < n; ++j) v(i, j) -= f * u[j];
    }
    h(m, m - 1) = scale * g;
    for (int i = m + 1; i < n; ++i) h(i, m - 1) = 0;
  }
}

// Francis double-shift QR on the Hessenberg h (accumulating into v) to the real Schur form,
// with eigenvalues wr + i wi; then the eigenvectors of the Schur form by back-substitution,
// carried back through v (a complex pair (k, k+1) as columns re, im of the eigenvector of
// wr[k] + i wi[k], wi[k] > 0).
void schur_and_vectors(Mat& h, Mat& v, std::vector<double>& wr, std::vector<double>& wi) {
  const int nn = h.n;
  const double eps = std::ldexp(1.0, -52);
  double exshift = 0, p = 0, q = 0, r = 0, s = 0, z = 0, t, w, x, y;
  double norm = 0;
  for (int i = 0; i < nn; ++i)
    for (int j = std::max(i - 1, 0); j < nn; ++j) norm += std::fabs(h(i, j));
  int n = nn - 1, iter = 0, total = 0;
  const int max_total = 100 * std::max(nn, 1);
  while (n >= 0) {
    // The last negligible subdiagonal entry splits off the active block l..n.
    int l = n;
    while (l > 0) {
      s = std::fabs(h(l - 1, l - 1)) + std::fabs(h(l, l));
      if (s == 0) s = norm;
      if (std::fabs(h(l, l - 1)) < eps * s) break;
      --l;
    }
    if (l == n) {  // one eigenvalue converged
      h(n, n) += exshift;
      wr[n] = h(n, n);
      wi[n] = 0;
      --n;
      iter = 0;
    } else if (l == n - 1) {  // a 2 x 2 block converged
      w = h(n, n - 1) * h(n - 1, n);
      p = (h(n - 1, n - 1) - h(n, n)) / 2.0;
      q = p * p + w;
      z = std::sqrt(std::fabs(q));
      h(n, n) += exshift;
      h(n - 1, n - 1) += exshift;
      x = h(n, n);
      if (q >= 0) {  // two real eigenvalues: rotate the block to triangular
        z = p >= 0 ? p + z : p - z;
        wr[n - 1] = x + z;
        wr[n] = z != 0 ? x - w / z : wr[n - 1];
        wi[n - 1] = wi[n] = 0;
        x = h(n, n - 1);
        s = std::fabs(x) + std::fabs(z);
        p = x / s;
        q = z / s;
        r = std::sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (int j = n - 1; j < nn; ++j) {
          z = h(n - 1, j);
          h(n - 1, j) = q * z + p * h(n, j);
          h(n, j) = q * h(n, j) - p * z;
        }
        for (int i = 0; i <= n; ++i) {
          z = h(i, n - 1);
          h(i, n - 1) = q * z + p * h(i, n);
          h(i, n) = q * h(i, n) - p * z;
        }
        for (int i = 0; i < nn; ++i) {
          z = v(i, n - 1);
          v(i, n - 1) = q * z + p * v(i, n);
          v(i, n) = q * v(i, n) - p * z;
        }
      } else {  // a complex conjugate pair
        wr[n - 1] = wr[n] = x + p;
        wi[n - 1] = z;
        wi[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {  // one more double-shift QR sweep over l..n
      if (++total > max_total) throw std::invalid_argument("[linalg::eig] The QR iteration did not converge.");
      x = h(n, n);
      y = h(n - 1, n - 1);
      w = h(n, n - 1) * h(n - 1, n);
      if (iter == 10) {  // exceptional shift (Wilkinson's)
        exshift += x;
        for (int i = 0; i <= n; ++i) h(i, i) -= x;
        s = std::fabs(h(n, n - 1)) + std::fabs(h(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter == 30) {  // a second exceptional shift
        s = (y - x) / 2.0;
        s = s * s + w;
        if (s > 0) {
          s = std::sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2.0 + s);
          for (int i = 0; i <= n; ++i) h(i, i) -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      ++iter;
      // Start the sweep where two consecutive subdiagonal entries are small.
      int m = n - 2;
      while (m >= l) {
        z = h(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / h(m + 1, m) + h(m, m + 1);
        q = h(m + 1, m + 1) - z - r - s;
        r = h(m + 2, m + 1);
        s = std::fabs(p) + std::fabs(q) + std::fabs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m == l) break;
        double lhs = std::fabs(h(m, m - 1)) * (std::fabs(q) + std::fabs(r));
        double rhs = eps * (std::fabs(p) * (std::fabs(h(m - 1, m - 1)) + std::fabs(z) + std::fabs(h(m + 1, m + 1))));
        if (lhs < rhs) break;
        --m;
      }
      for (int i = m + 2; i <= n; ++i) {
        h(i, i - 2) = 0;
        if (i > m + 2) h(i, i - 3) = 0;
      }
      for (int k = m; k <= n - 1; ++k) {
        bool notlast = k != n - 1;
        if (k != m) {
          p = h(k, k - 1);
          q = h(k + 1, k - 1);
          r = notlast ? h(k + 2, k - 1) : 0.0;
          x = std::fabs(p) + std::fabs(q) + std::fabs(r);
          if (x == 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = std::sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s == 0) continue;
        if (k != m) h(k, k - 1) = -s * x;
        else if (l != m) h(k, k - 1) = -h(k, k - 1);
        p += s;
        x = p / s;
        y = q / s;
        z = r / s;
        q /= p;
        r /= p;
        for (int j = k; j < nn; ++j) {
          p = h(k, j) + q * h(k + 1, j);
          if (notlast) {
            p += r * h(k + 2, j);
            h(k + 2, j) -= p * z;
          }
          h(k, j) -= p * x;
          h(k + 1, j) -= p * y;
        }
        for (int i = 0; i <= std::min(n, k + 3); ++i) {
          p = x * h(i, k) + y * h(i, k + 1);
          if (notlast) {
            p += z * h(i, k + 2);
            h(i, k + 2) -= p * r;
          }
          h(i, k) -= p;
          h(i, k + 1) -= p * q;
        }
        for (int i = 0; i < nn; ++i) {
          p = x * v(i, k) + y * v(i, k + 1);
          if (notlast) {
            p += z * v(i, k + 2);
            v(i, k + 2) -= p * r;
          }
          v(i, k) -= p;
          v(i, k + 1) -= p * q;
        }
      }
    }
  }
  if (norm == 0) return;
  // Back-substitution: the eigenvectors of the quasi-triangular Schur factor, in place in h.
  for (n = nn - 1; n >= 0; --n) {
    p = wr[n];
    q = wi[n];
    if (q == 0) {  // a real eigenvector
      int l = n;
      h(n, n) = 1.0;
      for (int i = n - 1; i >= 0; --i) {
        w = h(i, i) - p;
        r = 0;
        for (int j = l; j <= n; ++j) r += h(i, j) * h(j, n);
        if (wi[i] < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (wi[i] == 0) {
            h(i, n) = w != 0 ? -r / w : -r / (eps * norm);
          } else {  // a 2 x 2 block of the Schur form
            x = h(i, i + 1);
            y = h(i + 1, i);
            q = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i];
            t = (x * s - z * r) / q;
            h(i, n) = t;
            h(i + 1, n) = std::fabs(x) > std::fabs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          t = std::fabs(h(i, n));
          if ((eps * t) * t > 1)
            for (int j = i; j <= n; ++j) h(j, n) /= t;
        }
      }
    } else if (q < 0) {  // the second of a pair: the vector of wr + i|wi| in columns n-1, n
      int l = n - 1;
      if (std::fabs(h(n, n - 1)) > std::fabs(h(n - 1, n))) {
        h(n - 1, n - 1) = q / h(n, n - 1);
        h(n - 1, n) = -(h(n, n) - p) / h(n, n - 1);
      } else {
        auto c = cdiv(0.0, -h(n - 1, n), h(n - 1, n - 1) - p, q);
        h(n - 1, n - 1) = c.real();
        h(n - 1, n) = c.imag();
      }
      h(n, n - 1) = 0.0;
      h(n, n) = 1.0;
      for (int i = n - 2; i >= 0; --i) {
        double ra = 0, sa = 0;
        for (int j = l; j <= n; ++j) {
          ra += h(i, j) * h(j, n - 1);
          sa += h(i, j) * h(j, n);
        }
        w = h(i, i) - p;
        if (wi[i] < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (wi[i] == 0) {
            auto c = cdiv(-ra, -sa, w, q);
            h(i, n - 1) = c.real();
            h(i, n) = c.imag();
          } else {
            x = h(i, i + 1);
            y = h(i + 1, i);
            double vr = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i] - q * q;
            double vi = (wr[i] - p) * 2.0 * q;
            if (vr == 0 && vi == 0) {
              vr = eps * norm * (std::fabs(w) + std::fabs(q) + std::fabs(x) + std::fabs(y) + std::fabs(z));
            }
            auto c = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            h(i, n - 1) = c.real();
            h(i, n) = c.imag();
            if (std::fabs(x) > std::fabs(z) + std::fabs(q)) {
              h(i + 1, n - 1) = (-ra - w * h(i, n - 1) + q * h(i, n)) / x;
              h(i + 1, n) = (-sa - w * h(i, n) - q * h(i, n - 1)) / x;
            } else {
              auto c2 = cdiv(-r - y * h(i, n - 1), -s - y * h(i, n), z, q);
              h(i + 1, n - 1) = c2.real();
              h(i + 1, n) = c2.imag();
            }
          }
          t = std::max(std::fabs(h(i, n - 1)), std::fabs(h(i, n)));
          if ((eps * t) * t > 1) {
            for (int j = i; j <= n; ++j) {
              h(j, n - 1) /= t;
              h(j, n) /= t;
            }
          }
        }
      }
    }
  }
  // Back to the original basis: v = v * (the upper triangle of h, the Schur-form vectors).
  for (int j = nn - 1; j >= 0; --j) {
    for (int i = 0; i < nn; ++i) {
      double acc = 0;
      for (int k = 0; k <= j; ++k) acc += v(i, k) * h(k, j);
      v(i, j) = acc;
    }
  }
}

// Scales one eigenvector to unit 2-norm with its largest component real (LAPACK's rule).
void normalize(std::vector<std::complex<double>>& x) {
  double nrm = 0;
  size_t big = 0;
  double best = -1;
  for (size_t i = 0; i < x.size(); ++i) {
    double m2 = std::norm(x[i]);
    nrm += m2;
    if (m2 > best) best = m2, big = i;
  }
  if (nrm == 0) return;
  std::complex<double> f = 1.0 / std::sqrt(nrm);
  if (x[big].imag() != 0) {
    double mag = std::abs(x[big]);
    f *= std::conj(x[big]) / mag * (x[big].real() < 0 ? -1.0 : 1.0);
  }
  for (auto& c : x) c *= f;
}

}  // namespace

void eig_eval(const array& a_in, array& w, array* v) {
  w.set_data(allocator::malloc(w.nbytes()));
  if (v) v->set_data(allocator::malloc(v->nbytes()));
  array a = array::empty(a_in.shape(), Dtype::float64);
  copy_general(a_in, a);
  int n = a.shape(-1);
  size_t count = n == 0 ? 0 : a.size() / (size_t(n) * n);
  const double* src = a.data<double>();
  complex64_t* wout = w.data<complex64_t>();
  complex64_t* vout = v ? v->data<complex64_t>() : nullptr;
  std::vector<double> wr(n), wi(n);
  std::vector<std::complex<double>> col(n);
  for (size_t b = 0; b < count; ++b) {
    Mat h(n), q(n);
    std::copy(src + b * n * n, src + (b + 1) * n * n, h.d.begin());
    hessenberg(h, q);
    schur_and_vectors(h, q, wr, wi);
    for (int i = 0; i < n; ++i) wout[b * n + i] = complex64_t(float(wr[i]), float(wi[i]));
    if (!vout) continue;
    for (int j = 0; j < n; ++j) {
      // Column j's eigenvector: real, or re/im parts in columns (j, j+1) for the pair's
      // first member (wi > 0) and their conjugate for the second.
      for (int i = 0; i < n; ++i) {
        if (wi[j] == 0) col[i] = q(i, j);
        else if (wi[j] > 0) col[i] = {q(i, j), q(i, j + 1)};
        else col[i] = {q(i, j - 1), -q(i, j)};
      }
      normalize(col);
      for (int i = 0; i < n; ++i) {
        vout[b * n * n + size_t(i) * n + j] = complex64_t(float(col[i].real()), float(col[i].imag()));
      }
    }
  }
}

}  // namespace mlx

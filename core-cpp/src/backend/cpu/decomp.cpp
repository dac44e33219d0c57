#include "decomp.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "allocator.h"
#include "copy.h"

namespace mlx {

namespace {

array dense(const array& x) {
  if (x.flags().row_contiguous) return x;
  array c = array::empty(x.shape(), x.dtype());
  copy_general(x, c);
  return c;
}

using Mat = std::vector<double>;  // row-major

// Householder QR of a (m x n, row-major, overwritten) into q (m x k) and r (k x n).
void householder_qr(Mat& a, int64_t m, int64_t n, Mat& q, Mat& r) {
  int64_t k = std::min(m, n);
  std::vector<Mat> vs(k);
  std::vector<double> taus(k, 0.0);
  for (int64_t j = 0; j < k; ++j) {
    double alpha = a[j * n + j];
    double xnorm = 0.0;
    for (int64_t i = j + 1; i < m; ++i) xnorm = std::hypot(xnorm, a[i * n + j]);
    Mat v(m - j, 0.0);
    v[0] = 1.0;
    // Nothing to annihilate: H = I (LAPACK's dlarfg keeps alpha, whatever its sign).
    if (xnorm == 0.0) {
      vs[j] = std::move(v);
      continue;
    }
    double beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    double tau = (beta - alpha) / beta;
    for (int64_t i = j + 1; i < m; ++i) {
      v[i - j] = a[i * n + j] / (alpha - beta);
      a[i * n + j] = 0.0;
    }
    a[j * n + j] = beta;
    // The remaining columns: A <- (I - tau v v^T) A.
    for (int64_t c = j + 1; c < n; ++c) {
      double w = 0.0;
      for (int64_t i = j; i < m; ++i) w += v[i - j] * a[i * n + c];
      w *= tau;
      for (int64_t i = j; i < m; ++i) a[i * n + c] -= w * v[i - j];
    }
    vs[j] = std::move(v);
    taus[j] = tau;
  }
  for (int64_t i = 0; i < k; ++i)
    for (int64_t c = 0; c < n; ++c) r[i * n + c] = c >= i ? a[i * n + c] : 0.0;
  // Q = H_0 ... H_{k-1} applied to the first k columns of the identity, innermost first.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t c = 0; c < k; ++c) q[i * k + c] = i == c ? 1.0 : 0.0;
  for (int64_t j = k - 1; j >= 0; --j) {
    const Mat& v = vs[j];
    for (int64_t c = 0; c < k; ++c) {
      double w = 0.0;
      for (int64_t i = j; i < m; ++i) w += v[i - j] * q[i * k + c];
      w *= taus[j];
      for (int64_t i = j; i < m; ++i) q[i * k + c] -= w * v[i - j];
    }
  }
}

double dot(const double* x, const double* y, int64_t n) {
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += x[i] * y[i];
  return s;
}

// Extends `basis` (orthonormal vectors of length m, possibly fewer than m) to m vectors with
// standard basis vectors orthogonalised against it (twice, for accuracy). The residuals of
// all m candidates sum (squared) to m - r, so one pass with a threshold of 1/(2m) finds enough.
void complete_basis(std::vector<Mat>& basis, int64_t m) {
  for (int64_t e = 0; e < m && int64_t(basis.size()) < m; ++e) {
    Mat x(m, 0.0);
    x[e] = 1.0;
    for (int pass = 0; pass < 2; ++pass)
      for (const Mat& b : basis) {
        double d = dot(b.data(), x.data(), m);
        for (int64_t i = 0; i < m; ++i) x[i] -= d * b[i];
      }
    double nn = dot(x.data(), x.data(), m);
    if (nn <= 0.5 / double(m)) continue;
    double inv = 1.0 / std::sqrt(nn);
    for (double& xi : x) xi *= inv;
    basis.push_back(std::move(x));
  }
}

// One-sided Jacobi SVD of the n columns (each of length m >= n) in `cols`. Returns the
// singular values (descending), the left vectors completed to an orthonormal basis of R^m
// (u[j]: column j) and the right vectors (v[j]: column j of V, length n).
void jacobi_svd(std::vector<Mat>& cols, int64_t m, std::vector<double>& s, std::vector<Mat>& u, std::vector<Mat>& v,
                bool want_vectors) {
  int64_t n = int64_t(cols.size());
  v.assign(n, Mat(n, 0.0));
  for (int64_t j = 0; j < n; ++j) v[j][j] = 1.0;
  const double eps = DBL_EPSILON;
  for (int sweep = 0; sweep < 80; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p < n; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        double alpha = dot(cols[p].data(), cols[p].data(), m);
        double beta = dot(cols[q].data(), cols[q].data(), m);
        double gamma = dot(cols[p].data(), cols[q].data(), m);
        if (gamma == 0.0 || std::fabs(gamma) <= eps * std::sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that makes columns p and q orthogonal (smaller angle of the two).
        double zeta = (beta - alpha) / (2.0 * gamma);
        double t = std::copysign(1.0, zeta) / (std::fabs(zeta) + std::sqrt(1.0 + zeta * zeta));
        double c = 1.0 / std::sqrt(1.0 + t * t), sn = c * t;
        for (int64_t i = 0; i < m; ++i) {
          double xp = cols[p][i], xq = cols[q][i];
          cols[p][i] = c * xp - sn * xq;
          cols[q][i] = sn * xp + c * xq;
        }
        for (int64_t i = 0; i < n; ++i) {
          double xp = v[p][i], xq = v[q][i];
          v[p][i] = c * xp - sn * xq;
          v[q][i] = sn * xp + c * xq;
        }
      }
    }
    if (!rotated) break;
  }
  std::vector<double> norms(n);
  for (int64_t j = 0; j < n; ++j) norms[j] = std::sqrt(dot(cols[j].data(), cols[j].data(), m));
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Descending; NaN sorts last.
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return norms[x] > norms[y]; });
  s.resize(n);
  for (int64_t j = 0; j < n; ++j) s[j] = norms[order[j]];
  if (!want_vectors) return;
  std::vector<Mat> vs(n);
  for (int64_t j = 0; j < n; ++j) vs[j] = v[order[j]];
  v = std::move(vs);
  // Columns for (numerically) zero singular values are not directions: complete them instead.
  double tol = (n > 0 ? s[0] : 0.0) * double(std::max(m, n)) * eps;
  u.clear();
  for (int64_t j = 0; j < n; ++j) {
    if (!(s[j] > tol) || s[j] == 0.0) break;
    Mat c = cols[order[j]];
    for (double& ci : c) ci /= s[j];
    u.push_back(std::move(c));
  }
  complete_basis(u, m);
}

// Cyclic Jacobi on the symmetric n x n row-major `s` (overwritten; its diagonal ends as the
// eigenvalues) with the rotations accumulated in `v` (columns: eigenvectors). Each sweep
// zeroes every off-diagonal pair once; convergence is quadratic, so a few sweeps reach the
// stopping point (off-diagonal mass at rounding level). Non-finite input stops at once.
void jacobi_eigh(Mat& s, Mat& v, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) v[i * n + j] = i == j ? 1.0 : 0.0;
  const double eps = DBL_EPSILON;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0, diag = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      diag += s[i * n + i] * s[i * n + i];
      for (int64_t j = i + 1; j < n; ++j) off += s[i * n + j] * s[i * n + j];
    }
    if (!std::isfinite(off + diag) || off == 0.0 || off <= eps * eps * 1e-2 * diag) break;
    for (int64_t p = 0; p < n; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        double apq = s[p * n + q];
        if (apq == 0.0) continue;
        double app = s[p * n + p], aqq = s[q * n + q];
        // The rotation J (c, s) with J^T S J zero at (p, q), of angle at most pi/4.
        double theta = (aqq - app) / (2.0 * apq);
        double t = (theta >= 0.0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        if (!std::isfinite(t)) t = 0.0;  // |theta| overflowed: the pair is already diagonal
        double c = 1.0 / std::sqrt(t * t + 1.0), sn = t * c;
        for (int64_t k = 0; k < n; ++k) {
          if (k == p || k == q) continue;
          double skp = s[k * n + p], skq = s[k * n + q];
          double np = c * skp - sn * skq, nq = sn * skp + c * skq;
          s[k * n + p] = s[p * n + k] = np;
          s[k * n + q] = s[q * n + k] = nq;
        }
        s[p * n + p] = app - t * apq;
        s[q * n + q] = aqq + t * apq;
        s[p * n + q] = s[q * n + p] = 0.0;
        for (int64_t k = 0; k < n; ++k) {
          double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
}

template <typename T>
void eigh_typed(const array& a, array& w, array* v, bool upper) {
  int64_t n = a.shape(-1);
  if (n == 0) return;
  size_t mats = a.size() / size_t(n * n);
  const T* src = a.data<T>();
  Mat s(n * n), vecs(n * n);
  std::vector<int64_t> order(n);
  for (size_t b = 0; b < mats; ++b) {
    const T* m = src + b * n * n;
    // The symmetric matrix of the chosen triangle.
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int64_t lo = std::max(i, j), hi = std::min(i, j);
        s[i * n + j] = double(upper ? m[hi * n + lo] : m[lo * n + hi]);
      }
    jacobi_eigh(s, vecs, n);
    std::iota(order.begin(), order.end(), 0);
    // Ascending; NaN sorts last.
    std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return s[x * n + x] < s[y * n + y]; });
    T* wd = w.data<T>() + b * n;
    for (int64_t j = 0; j < n; ++j) wd[j] = static_cast<T>(s[order[j] * n + order[j]]);
    if (!v) continue;
    T* vd = v->data<T>() + b * n * n;
    for (int64_t j = 0; j < n; ++j) {
      int64_t col = order[j];
      int64_t big = 0;
      for (int64_t i = 1; i < n; ++i)
        if (std::fabs(vecs[i * n + col]) > std::fabs(vecs[big * n + col])) big = i;
      double sign = vecs[big * n + col] < 0.0 ? -1.0 : 1.0;
      for (int64_t i = 0; i < n; ++i) vd[i * n + j] = static_cast<T>(sign * vecs[i * n + col]);
    }
  }
}

template <typename T>
void read_matrix(const T* src, Mat& dst, size_t count) {
  for (size_t i = 0; i < count; ++i) dst[i] = double(src[i]);
}

template <typename T>
void write_matrix(const Mat& src, T* dst) {
  for (size_t i = 0; i < src.size(); ++i) dst[i] = static_cast<T>(src[i]);
}

template <typename T>
void qr_typed(const array& a, array& q, array& r) {
  int64_t m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  size_t mats = (m * n == 0) ? 0 : a.size() / size_t(m * n);
  if (m * n == 0) {
    // Empty matrices: q is the identity's first k columns (k = 0 here) and r is empty.
    return;
  }
  Mat w(m * n), qm(m * k), rm(k * n);
  const T* src = a.data<T>();
  T* qd = q.data<T>();
  T* rd = r.data<T>();
  for (size_t b = 0; b < mats; ++b) {
    read_matrix(src + b * m * n, w, m * n);
    householder_qr(w, m, n, qm, rm);
    write_matrix(qm, qd + b * m * k);
    write_matrix(rm, rd + b * k * n);
  }
}

template <typename T>
void svd_typed(const array& a, array* u, array& s, array* vt) {
  int64_t m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  size_t mats = 1;
  for (int i = 0; i < a.ndim() - 2; ++i) mats *= size_t(a.shape(i));
  bool want = u != nullptr;
  const T* src = m * n > 0 ? a.data<T>() : nullptr;
  bool tall = m >= n;
  // Work on the orientation with the longer columns: cols are the columns of a (tall) or of a^T.
  int64_t len = tall ? m : n, cnt = tall ? n : m;
  std::vector<Mat> cols(cnt, Mat(len)), left, right;
  std::vector<double> sv;
  for (size_t b = 0; b < mats; ++b) {
    const T* mat = src ? src + b * m * n : nullptr;
    for (int64_t j = 0; j < cnt; ++j)
      for (int64_t i = 0; i < len; ++i) cols[j][i] = double(tall ? mat[i * n + j] : mat[j * n + i]);
    jacobi_svd(cols, len, sv, left, right, want);
    T* sd = s.data<T>() + b * k;
    for (int64_t j = 0; j < k; ++j) sd[j] = static_cast<T>(sv[j]);
    if (!want) continue;
    // tall: a = L S R^T (L: m x m, R: n x n). wide: a^T = L S R^T, so a = R S L^T.
    const std::vector<Mat>& uc = tall ? left : right;  // columns of U (length m)
    const std::vector<Mat>& vc = tall ? right : left;  // columns of V (length n)
    T* ud = u->data<T>() + b * m * m;
    T* vd = vt->data<T>() + b * n * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < m; ++j) ud[i * m + j] = static_cast<T>(uc[j][i]);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) vd[i * n + j] = static_cast<T>(vc[i][j]);
  }
}

void alloc(array& x) { x.set_data(allocator::malloc(x.nbytes())); }

}  // namespace

void qr_eval(const array& a_in, array& q, array& r) {
  alloc(q);
  alloc(r);
  array a = dense(a_in);
  if (a.dtype() == Dtype::float32) qr_typed<float>(a, q, r);
  else qr_typed<double>(a, q, r);
}

void eigh_eval(const array& a_in, array& w, array* v, bool upper) {
  alloc(w);
  if (v) alloc(*v);
  array a = dense(a_in);
  if (a.dtype() == Dtype::float32) eigh_typed<float>(a, w, v, upper);
  else eigh_typed<double>(a, w, v, upper);
}

void svd_eval(const array& a_in, array* u, array& s, array* vt) {
  alloc(s);
  if (u) alloc(*u);
  if (vt) alloc(*vt);
  array a = dense(a_in);
  if (a.dtype() == Dtype::float32) svd_typed<float>(a, u, s, vt);
  else svd_typed<double>(a, u, s, vt);
}

}  // namespace mlx

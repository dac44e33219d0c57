#include "linalg.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "allocator.h"
#include "copy.h"

namespace mlx {

namespace {

// Row-contiguous input (the kernels walk each matrix densely).
array dense(const array& x) {
  if (x.flags().row_contiguous) return x;
  array c = array::empty(x.shape(), x.dtype());
  copy_general(x, c);
  return c;
}

void check_dtype(const array& a, const char* op) {
  if (a.dtype() != Dtype::float32 && a.dtype() != Dtype::float64) {
    throw std::invalid_argument(std::string("[") + op + "] Arrays must have type float32 or float64. Received array with type " +
                                dtype_name(a.dtype()) + ".");
  }
}

// Gauss-Jordan elimination with partial pivoting on [A | I], in double.
bool invert(std::vector<double>& m, std::vector<double>& inv, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) inv[i * n + j] = i == j ? 1.0 : 0.0;
  for (int64_t col = 0; col < n; ++col) {
    int64_t piv = col;
    for (int64_t r = col + 1; r < n; ++r)
      if (std::fabs(m[r * n + col]) > std::fabs(m[piv * n + col])) piv = r;
    double p = m[piv * n + col];
    // An exactly zero pivot (LAPACK's criterion); NaN pivots propagate as values.
    if (p == 0.0) return false;
    if (piv != col) {
      for (int64_t j = 0; j < n; ++j) {
        std::swap(m[piv * n + j], m[col * n + j]);
        std::swap(inv[piv * n + j], inv[col * n + j]);
      }
    }
    for (int64_t j = 0; j < n; ++j) {
      m[col * n + j] /= p;
      inv[col * n + j] /= p;
    }
    for (int64_t r = 0; r < n; ++r) {
      if (r == col) continue;
      double f = m[r * n + col];
      if (f == 0.0) continue;
      for (int64_t j = 0; j < n; ++j) {
        m[r * n + j] -= f * m[col * n + j];
        inv[r * n + j] -= f * inv[col * n + j];
      }
    }
  }
  return true;
}

// Cholesky-Banachiewicz on the lower triangle, in double; false unless positive definite.
bool factor(const std::vector<double>& a, std::vector<double>& l, int64_t n) {
  std::fill(l.begin(), l.end(), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j <= i; ++j) {
      double s = a[i * n + j];
      for (int64_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      if (i == j) {
        if (!(s > 0.0)) return false;
        l[i * n + i] = std::sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return true;
}

// Runs `body(in, out)` on each n x n matrix of `a`, converting through double.
template <typename Body>
void per_matrix(const array& a_in, array& out, const char* op, Body body) {
  check_dtype(a_in, op);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  array a = dense(a_in);
  int64_t n = a.shape(-1);
  size_t mats = a.size() / size_t(n * n);
  std::vector<double> m(n * n), r(n * n);
  auto run = [&](auto* src, auto* dst) {
    for (size_t b = 0; b < mats; ++b) {
      for (int64_t i = 0; i < n * n; ++i) m[i] = double(src[b * n * n + i]);
      body(m, r, n);
      for (int64_t i = 0; i < n * n; ++i) dst[b * n * n + i] = static_cast<std::remove_pointer_t<decltype(dst)>>(r[i]);
    }
  };
  if (a.dtype() == Dtype::float32) run(a.data<float>(), out.data<float>());
  else run(a.data<double>(), out.data<double>());
}

}  // namespace

void inv_eval(const array& a, array& out) {
  per_matrix(a, out, "linalg::inv", [](std::vector<double>& m, std::vector<double>& r, int64_t n) {
    if (!invert(m, r, n)) throw std::invalid_argument("[linalg::inv] The matrix is singular and cannot be inverted.");
  });
}

void cholesky_eval(const array& a, array& out) {
  per_matrix(a, out, "linalg::cholesky", [](std::vector<double>& m, std::vector<double>& r, int64_t n) {
    if (!factor(m, r, n)) throw std::invalid_argument("[linalg::cholesky] The matrix is not positive definite.");
  });
}

}  // namespace mlx

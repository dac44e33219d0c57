#include "linalg.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// The inverse of the lower-triangular L (n x n, row-major; the upper triangle is not read)
// by forward substitution, one column of the result at a time; false for a zero diagonal.
bool lower_inverse(const std::vector<double>& l, std::vector<double>& x, int64_t n) {
  std::fill(x.begin(), x.end(), 0.0);
  for (int64_t i = 0; i < n; ++i)
    if (l[i * n + i] == 0.0) return false;
  for (int64_t c = 0; c < n; ++c) {
    x[c * n + c] = 1.0 / l[c * n + c];
    for (int64_t i = c + 1; i < n; ++i) {
      double s = 0.0;
      for (int64_t k = c; k < i; ++k) s += l[i * n + k] * x[k * n + c];
      x[i * n + c] = -s / l[i * n + i];
    }
  }
  return true;
}

void transpose_square(std::vector<double>& m, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) std::swap(m[i * n + j], m[j * n + i]);
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

// Partial-pivoting LU of the m x n row-major `a` in place (LAPACK getrf's choices: the
// first row of largest magnitude is the pivot; a zero pivot column is left as it is).
void lu_in_place(std::vector<double>& a, int64_t m, int64_t n, uint32_t* piv) {
  int64_t k = std::min(m, n);
  for (int64_t j = 0; j < k; ++j) {
    int64_t p = j;
    for (int64_t i = j + 1; i < m; ++i)
      if (std::fabs(a[i * n + j]) > std::fabs(a[p * n + j])) p = i;
    piv[j] = uint32_t(p);
    if (p != j)
      for (int64_t c = 0; c < n; ++c) std::swap(a[p * n + c], a[j * n + c]);
    double d = a[j * n + j];
    if (d == 0.0) continue;
    for (int64_t i = j + 1; i < m; ++i) {
      double f = a[i * n + j] /= d;
      if (f == 0.0) continue;
      for (int64_t c = j + 1; c < n; ++c) a[i * n + c] -= f * a[j * n + c];
    }
  }
}

template <typename T>
void luf_typed(const array& a, array& lu, uint32_t* piv, uint32_t* rows) {
  int64_t m = a.shape(-2), n = a.shape(-1), k = std::min(m, n);
  size_t mats = 1;
  for (int i = 0; i < a.ndim() - 2; ++i) mats *= size_t(a.shape(i));
  std::vector<double> w(m * n);
  const T* src = m * n > 0 ? a.data<T>() : nullptr;
  T* dst = m * n > 0 ? lu.data<T>() : nullptr;
  for (size_t b = 0; b < mats; ++b) {
    for (int64_t i = 0; i < m * n; ++i) w[i] = double(src[b * m * n + i]);
    uint32_t* pv = piv + b * k;
    uint32_t* ri = rows + b * m;
    lu_in_place(w, m, n, pv);
    for (int64_t i = 0; i < m * n; ++i) dst[b * m * n + i] = static_cast<T>(w[i]);
    // The swaps undone in reverse order on the identity give P with a = (L U)[P].
    for (int64_t i = 0; i < m; ++i) ri[i] = uint32_t(i);
    for (int64_t j = k - 1; j >= 0; --j) std::swap(ri[j], ri[pv[j]]);
  }
}

}  // namespace

void tri_inv_eval(const array& a, array& out, bool upper) {
  per_matrix(a, out, "linalg::tri_inv", [upper](std::vector<double>& m, std::vector<double>& r, int64_t n) {
    // U^-1 = ((U^T)^-1)^T and U^T is lower triangular.
    if (upper) transpose_square(m, n);
    if (!lower_inverse(m, r, n)) throw std::invalid_argument("[linalg::tri_inv] The matrix is singular and cannot be inverted.");
    if (upper) transpose_square(r, n);
  });
}

void luf_eval(const array& a_in, array& lu, array& pivots, array& row_indices) {
  check_dtype(a_in, "linalg::lu_factor");
  lu.set_data(allocator::malloc(lu.nbytes()));
  pivots.set_data(allocator::malloc(pivots.nbytes()));
  row_indices.set_data(allocator::malloc(row_indices.nbytes()));
  array a = dense(a_in);
  uint32_t* piv = pivots.data<uint32_t>();
  uint32_t* rows = row_indices.data<uint32_t>();
  if (a.dtype() == Dtype::float32) luf_typed<float>(a, lu, piv, rows);
  else luf_typed<double>(a, lu, piv, rows);
}

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

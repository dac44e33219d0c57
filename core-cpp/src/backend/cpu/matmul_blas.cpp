#include "matmul_blas.h"

#ifdef MLX_HAVE_CBLAS

#include <cblas.h>

#include <climits>
#include <cstdint>
#include <cstring>

#include "copy.h"
#include "matmul.h"

namespace mlx {

namespace {

// How BLAS can read a rows x cols matrix whose element (i, j) sits at i*rs + j*cs:
// row-major with leading dimension ld (NoTrans), or as the transpose of a row-major
// cols x rows matrix (Trans). Degenerate axes (length 1) may have any stride.
struct Layout {
  bool ok = false;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  int64_t ld = 1;
};

Layout layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  Layout l;
  if ((cs == 1 || cols == 1) && (rows == 1 || rs >= cols)) {
    l.ok = true;
    l.ld = rows == 1 ? cols : rs;
  } else if ((rs == 1 || rows == 1) && (cols == 1 || cs >= rows)) {
    l.ok = true;
    l.trans = CblasTrans;
    l.ld = cols == 1 ? rows : cs;
  }
  if (l.ld < 1) l.ld = 1;
  l.ok = l.ok && l.ld <= INT_MAX;
  return l;
}

// Batch axes are read through their strides (0 for a broadcast operand); only a matrix
// layout BLAS cannot express (neither axis unit-stride) is copied to row order first.
array blas_view(const array& x, Layout& l) {
  int nd = x.ndim();
  l = layout(x.shape(nd - 2), x.shape(nd - 1), x.strides(nd - 2), x.strides(nd - 1));
  if (l.ok) return x;
  array c = array::empty(x.shape(), x.dtype());
  copy_general(x, c);
  l = layout(c.shape(nd - 2), c.shape(nd - 1), c.strides(nd - 2), c.strides(nd - 1));
  return c;
}

void gemm(const float* a, const float* b, float* c, int M, int N, int K, const Layout& la, const Layout& lb) {
  cblas_sgemm(CblasRowMajor, la.trans, lb.trans, M, N, K, 1.0f, a, int(la.ld), b, int(lb.ld), 0.0f, c, N);
}
void gemm(const double* a, const double* b, double* c, int M, int N, int K, const Layout& la, const Layout& lb) {
  cblas_dgemm(CblasRowMajor, la.trans, lb.trans, M, N, K, 1.0, a, int(la.ld), b, int(lb.ld), 0.0, c, N);
}

template <typename T>
void run(const array& a_in, const array& b_in, array& out) {
  Layout la, lb;
  array a = blas_view(a_in, la);
  array b = blas_view(b_in, lb);
  int nd = out.ndim();
  int64_t M = out.shape(nd - 2), N = out.shape(nd - 1), K = a.shape(nd - 1);
  if (K == 0) {  // an empty sum; BLAS's leading-dimension rules have no case for it
    std::memset(out.data<T>(), 0, out.nbytes());
    return;
  }
  size_t batches = out.size() / size_t(M * N);
  // One GEMM for all batches when b is shared by every batch (stride 0) and a's batches
  // follow each other as rows of one row-major matrix: [B, M, K] @ [K, N].
  bool b_shared = true;
  for (int ax = 0; ax < nd - 2; ++ax) b_shared = b_shared && (b.strides(ax) == 0 || b.shape(ax) == 1);
  bool a_rows = la.trans == CblasNoTrans && a.flags().row_contiguous;
  if (batches > 1 && b_shared && a_rows && M * int64_t(batches) <= INT_MAX) {
    M *= int64_t(batches);
    batches = 1;
  }
  for (size_t bi = 0; bi < batches; ++bi) {
    gemm(a.data<T>() + batch_offset(a, bi), b.data<T>() + batch_offset(b, bi), out.data<T>() + bi * M * N, int(M),
         int(N), int(K), la, lb);
  }
}

}  // namespace

bool sgemm_blas_available() { return true; }

bool sgemm_blas(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* b, int64_t ldb,
                bool b_transposed, float* c, int64_t ldc) {
  for (int64_t v : {M, N, K, lda, ldb, ldc}) {
    if (v > INT_MAX) return false;
  }
  if (M <= 0 || N <= 0 || K <= 0) return false;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, b_transposed ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), 1.0f,
              a, int(lda), b, int(ldb), 0.0f, c, int(ldc));
  return true;
}

bool matmul_blas(const array& a, const array& b, array& out) {
  // (Dimensions are int32, so M, N and K fit BLAS's int; leading dimensions are checked.)
  if (out.dtype() == Dtype::float32) {
    run<float>(a, b, out);
    return true;
  }
  if (out.dtype() == Dtype::float64) {
    run<double>(a, b, out);
    return true;
  }
  return false;
}

}  // namespace mlx

#else

namespace mlx {

bool matmul_blas(const array&, const array&, array&) { return false; }
bool sgemm_blas_available() { return false; }
bool sgemm_blas(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, bool, float*, int64_t) {
  return false;
}

}  // namespace mlx

#endif

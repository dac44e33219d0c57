#include "matmul.h"

#include <type_traits>
#include <vector>

#include "allocator.h"
#include "copy.h"
#include "dispatch.h"
#include "matmul_blas.h"
#include "matmul_f32.h"

namespace mlx {

namespace {

// The matrices of an operand must have unit stride along their last axis; anything else
// is copied to row order first (the batch axes may keep any strides, including 0).
array matrix_rows(const array& x) {
  int nd = x.ndim();
  int64_t cols = x.shape(nd - 1);
  bool ok = x.strides(nd - 1) == 1 || cols == 1;
  ok = ok && (x.shape(nd - 2) == 1 || x.strides(nd - 2) == cols);
  if (ok) return x;
  array c = array::empty(x.shape(), x.dtype());
  copy_general(x, c);
  return c;
}

// The plain GEMM of the other dtypes (float32 has its packed kernel): any operand strides,
// accumulating in compute_t, writing a row-contiguous M x N block.
template <typename T>
void gemm(const T* a, int64_t a_rs, int64_t a_cs, const T* b, int64_t b_rs, int64_t b_cs, T* c, int64_t M,
          int64_t N, int64_t K) {
  using C = compute_t<T>;
  std::vector<C> row(N);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) row[j] = C(0);
    for (int64_t k = 0; k < K; ++k) {
      C aik = C(a[i * a_rs + k * a_cs]);
      const T* bk = b + k * b_rs;
      for (int64_t j = 0; j < N; ++j) row[j] += aik * C(bk[j * b_cs]);
    }
    for (int64_t j = 0; j < N; ++j) c[i * N + j] = T(row[j]);
  }
}

// float32 goes to the packed SIMD GEMM, which reads both operands through their strides
// (transposed or broadcast views are never copied).
void matmul_f32(const array& a, const array& b, array& out) {
  int nd = out.ndim();
  int64_t M = out.shape(nd - 2), N = out.shape(nd - 1), K = a.shape(nd - 1);
  size_t batches = out.size() / size_t(M * N);
  for (size_t bi = 0; bi < batches; ++bi) {
    sgemm(M, N, K, a.data<float>() + batch_offset(a, bi), a.strides(nd - 2), a.strides(nd - 1),
          b.data<float>() + batch_offset(b, bi), b.strides(nd - 2), b.strides(nd - 1),
          out.data<float>() + bi * M * N);
  }
}

}  // namespace

void matmul_eval(const array& a_in, const array& b_in, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  if (matmul_blas(a_in, b_in, out)) return;  // OpenBLAS in the native addon, when found
  if (out.dtype() == Dtype::float32) {
    matmul_f32(a_in, b_in, out);
    return;
  }
  array a = matrix_rows(a_in);
  array b = matrix_rows(b_in);
  int nd = out.ndim();
  int64_t M = out.shape(nd - 2), N = out.shape(nd - 1), K = a.shape(nd - 1);
  size_t batches = out.size() / size_t(M * N);
  auto run = [&](auto t) {
    using T = typename decltype(t)::type;
    for (size_t bi = 0; bi < batches; ++bi) {
      gemm<T>(a.data<T>() + batch_offset(a, bi), K, 1, b.data<T>() + batch_offset(b, bi), N, 1,
              out.data<T>() + bi * M * N, M, N, K);
    }
  };
  if (out.dtype() == Dtype::complex64) return run(type_tag<complex64_t>{});
  dispatch_floating(out.dtype(), "matmul", run);
}

void matmul_block(const array& a, int64_t a_off, int64_t a_rs, int64_t a_cs, const array& b, int64_t b_off,
                  int64_t b_rs, int64_t b_cs, array& out, int64_t out_off, int64_t M, int64_t N, int64_t K) {
  if (M == 0 || N == 0) return;
  auto run = [&](auto t) {
    using T = typename decltype(t)::type;
    T* c = out.data<T>() + out_off;
    if (K == 0) {
      for (int64_t i = 0; i < M * N; ++i) c[i] = T(0);
      return;
    }
    if constexpr (std::is_same_v<T, float>) {
      sgemm(M, N, K, a.data<float>() + a_off, a_rs, a_cs, b.data<float>() + b_off, b_rs, b_cs, c);
    } else {
      gemm<T>(a.data<T>() + a_off, a_rs, a_cs, b.data<T>() + b_off, b_rs, b_cs, c, M, N, K);
    }
  };
  if (out.dtype() == Dtype::complex64) return run(type_tag<complex64_t>{});
  dispatch_floating(out.dtype(), "matmul", run);
}

}  // namespace mlx

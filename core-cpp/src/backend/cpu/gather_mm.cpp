#include "gather_mm.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "allocator.h"
#include "matmul.h"

namespace mlx {

namespace {

// Element `i` (row-major over x's shape) of a uint32 array read through its strides.
uint32_t read_index(const array& x, size_t i) {
  int64_t off = 0;
  for (int ax = x.ndim() - 1; ax >= 0; --ax) {
    int64_t d = x.shape(ax);
    off += int64_t(i % d) * x.strides(ax);
    i /= d;
  }
  return x.data<uint32_t>()[off];
}

// The number of matrices in x's batch axes (all but the last two).
size_t batch_count(const array& x) {
  size_t n = 1;
  for (int ax = 0; ax + 2 < x.ndim(); ++ax) n *= size_t(x.shape(ax));
  return n;
}

}  // namespace

void gather_mm_eval(const array& a, const array& b, const array& lhs, const array& rhs, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  int nd = out.ndim();
  int64_t M = out.shape(nd - 2), N = out.shape(nd - 1), K = a.shape(-1);
  size_t count = lhs.size(), na = batch_count(a), nb = batch_count(b);
  if (out.size() == 0 && count == 0) return;
  // Check every index before any product runs (the kernel below must not throw midway).
  for (size_t q = 0; q < count; ++q) {
    uint32_t i = read_index(lhs, q), j = read_index(rhs, q);
    if (i >= na || j >= nb) {
      throw std::invalid_argument("[gather_mm] Index " + std::to_string(i >= na ? i : j) + " is out of range for " +
                                  std::to_string(i >= na ? na : nb) + " matrices of the " +
                                  (i >= na ? "first" : "second") + " input.");
    }
  }
  int ad = a.ndim(), bd = b.ndim();
  for (size_t q = 0; q < count; ++q) {
    matmul_block(a, batch_offset(a, read_index(lhs, q)), a.strides(ad - 2), a.strides(ad - 1), b,
                 batch_offset(b, read_index(rhs, q)), b.strides(bd - 2), b.strides(bd - 1), out, int64_t(q) * M * N, M,
                 N, K);
  }
}

void segmented_mm_eval(const array& a, const array& b, const array& segments, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  int64_t M = a.shape(0), N = b.shape(1), K = a.shape(1);
  size_t count = segments.size() / 2;
  for (size_t q = 0; q < count; ++q) {
    int64_t s = std::min<int64_t>(read_index(segments, 2 * q), K);
    int64_t e = std::min<int64_t>(read_index(segments, 2 * q + 1), K);
    int64_t k = std::max<int64_t>(e - s, 0);
    matmul_block(a, s * a.strides(1), a.strides(0), a.strides(1), b, s * b.strides(0), b.strides(0), b.strides(1), out,
                 int64_t(q) * M * N, M, N, k);
  }
}

}  // namespace mlx

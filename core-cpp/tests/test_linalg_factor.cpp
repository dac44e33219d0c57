// The LU (partial pivoting), triangular-inverse and symmetric-eigen (cyclic Jacobi) kernels
// through their ops: reconstruction a = L[P] U and the pivot rule, a singular matrix, the
// triangle read by tri_inv and eigh, eigen-decompositions with repeated and zero eigenvalues.
#include <cmath>
#include <cstdint>
#include <vector>

#include "array_values.h"
#include "check.h"
#include "ops.h"
#include "ops/linalg.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

array mat(const std::vector<double>& v, int m, int n) { return array::from_vector<double>(v, {m, n}); }

}  // namespace

TEST(lu_rebuilds_and_pivots_on_the_largest_entry) {
  std::vector<double> a = {1, 2, 3, 4, 5, 6, 7, 8, 10, -1, 0, 2};  // 4 x 3
  auto out = linalg_lu(mat(a, 4, 3));
  auto p = values_of<uint32_t>(out[0]);
  auto l = values_of<double>(out[1]);
  auto u = values_of<double>(out[2]);
  CHECK_EQ(p.size(), size_t(4));
  // The first pivot is row 2 (|7| is the largest of column 0): U's first row is a's row 2.
  CHECK_NEAR(u[0], 7, 0);
  CHECK_NEAR(u[1], 8, 0);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += l[size_t(p[size_t(i)]) * 3 + size_t(k)] * u[size_t(k) * 3 + size_t(j)];
      CHECK_NEAR(s, a[size_t(i * 3 + j)], 1e-12);
    }
  // |L| <= 1 below the diagonal (partial pivoting).
  for (double x : l) CHECK(std::fabs(x) <= 1.0);
}

TEST(lu_factor_of_a_singular_matrix_has_a_zero_pivot) {
  auto out = linalg_lu_factor(mat({1, 2, 2, 4}, 2, 2));
  auto lu = values_of<double>(out[0]);
  auto piv = values_of<uint32_t>(out[1]);
  CHECK_EQ(piv[0], 1.0);
  CHECK_NEAR(lu[3], 0, 0);
  CHECK_NEAR(values_of<double>(linalg_det(mat({1, 2, 3, 4, 2, 4, 6, 8, 0, 1, 0, 1, 5, 0, 1, 1}, 4, 4)))[0], 0, 0);
}

TEST(tri_inv_reads_one_triangle) {
  // Junk above the diagonal is ignored: [[2, 0], [1, 4]]^-1 = [[0.5, 0], [-0.125, 0.25]].
  auto lo = values_of<double>(linalg_tri_inv(mat({2, 99, 1, 4}, 2, 2), false));
  std::vector<double> want = {0.5, 0, -0.125, 0.25};
  for (size_t i = 0; i < 4; ++i) CHECK_NEAR(lo[i], want[i], 1e-15);
  auto up = values_of<double>(linalg_tri_inv(mat({2, 1, 99, 4}, 2, 2), true));
  std::vector<double> want_up = {0.5, -0.125, 0, 0.25};
  for (size_t i = 0; i < 4; ++i) CHECK_NEAR(up[i], want_up[i], 1e-15);
}

TEST(eigh_diagonalises_with_ascending_values_and_positive_largest_entries) {
  // Eigenvalues of [[2, 1, 0], [1, 2, 0], [0, 0, 3]]: 1, 3, 3 (a repeated pair).
  auto out = linalg_eigh(mat({2, 1, 0, 1, 2, 0, 0, 0, 3}, 3, 3), false);
  auto w = values_of<double>(out[0]);
  auto v = values_of<double>(out[1]);
  CHECK_NEAR(w[0], 1, 1e-14);
  CHECK_NEAR(w[1], 3, 1e-14);
  CHECK_NEAR(w[2], 3, 1e-14);
  std::vector<double> a = {2, 1, 0, 1, 2, 0, 0, 0, 3};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0, o = 0;
      for (int k = 0; k < 3; ++k) {
        s += v[size_t(i * 3 + k)] * w[size_t(k)] * v[size_t(j * 3 + k)];
        o += v[size_t(k * 3 + i)] * v[size_t(k * 3 + j)];
      }
      CHECK_NEAR(s, a[size_t(i * 3 + j)], 1e-14);
      CHECK_NEAR(o, i == j ? 1 : 0, 1e-14);
    }
  for (int c = 0; c < 3; ++c) {
    int big = 0;
    for (int r = 1; r < 3; ++r)
      if (std::fabs(v[size_t(r * 3 + c)]) > std::fabs(v[size_t(big * 3 + c)])) big = r;
    CHECK(v[size_t(big * 3 + c)] > 0);
  }
  // Upper triangle read: [[1, 5], [junk, -1]] is [[1, 5], [5, -1]], eigenvalues -/+ sqrt(26).
  auto wu = values_of<double>(linalg_eigvalsh(mat({1, 5, 123, -1}, 2, 2), true));
  CHECK_NEAR(wu[0], -std::sqrt(26.0), 1e-14);
  CHECK_NEAR(wu[1], std::sqrt(26.0), 1e-14);
}

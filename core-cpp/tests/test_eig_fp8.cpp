// The general eigen kernel (backend/cpu/eig) on matrices with known spectra: a rotation
// (a conjugate pair, positive imaginary part first), a companion matrix (roots of a known
// cubic), residuals A v = lambda v on a non-normal matrix; and the e4m3 codec on every code.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <vector>

#include "backend/cpu/fp8.h"
#include "check.h"
#include "ops.h"
#include "ops/linalg.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

array mat(const std::vector<double>& v, int n) { return array::from_vector<double>(v, {n, n}); }

// A complex64 array's elements in row order.
std::vector<std::complex<double>> cvalues(const array& a) {
  eval(a);
  array c = a.converted(Dtype::complex64);
  std::vector<std::complex<double>> v;
  for (size_t i = 0; i < c.size(); ++i) v.emplace_back(c.data<complex64_t>()[i].real(), c.data<complex64_t>()[i].imag());
  return v;
}

}  // namespace

TEST(eig_rotation_gives_a_conjugate_pair_positive_imaginary_first) {
  auto wv = linalg_eig(mat({0, -1, 1, 0}, 2));
  auto w = cvalues(wv[0]);
  CHECK_NEAR(w[0].real(), 0, 1e-7);
  CHECK_NEAR(w[0].imag(), 1, 1e-7);
  CHECK_NEAR(w[1].imag(), -1, 1e-7);
}

TEST(eig_companion_matrix_has_the_polynomial_roots) {
  // x^3 - 6x^2 + 11x - 6 = (x - 1)(x - 2)(x - 3).
  auto w = cvalues(linalg_eigvals(mat({6, -11, 6, 1, 0, 0, 0, 1, 0}, 3)));
  std::vector<double> re;
  for (auto& c : w) {
    CHECK_NEAR(c.imag(), 0, 1e-6);
    re.push_back(c.real());
  }
  std::sort(re.begin(), re.end());
  CHECK_NEAR(re[0], 1, 1e-5);
  CHECK_NEAR(re[1], 2, 1e-5);
  CHECK_NEAR(re[2], 3, 1e-5);
}

TEST(eig_vectors_satisfy_a_v_equals_lambda_v) {
  std::vector<double> a = {1, 2, 0, -3, 0.5, 4, 1, 1, 2, -1, 0, 1, 3, 0.25, -2, 1};
  auto wv = linalg_eig(mat(a, 4));
  auto w = cvalues(wv[0]);
  auto v = cvalues(wv[1]);
  for (int j = 0; j < 4; ++j) {
    double norm = 0;
    for (int i = 0; i < 4; ++i) {
      std::complex<double> av = 0;
      for (int k = 0; k < 4; ++k) av += a[i * 4 + k] * v[k * 4 + j];
      std::complex<double> lv = w[j] * v[i * 4 + j];
      CHECK_NEAR(std::abs(av - lv), 0, 1e-5);
      norm += std::norm(v[i * 4 + j]);
    }
    CHECK_NEAR(norm, 1, 1e-6);
  }
}

TEST(fp8_codes_round_trip) {
  for (int c = 0; c < 256; ++c) {
    float x = fp8_e4m3_to_float(static_cast<uint8_t>(c));
    if (std::isnan(x)) {
      CHECK((c & 0x7F) == 0x7F);
      continue;
    }
    CHECK_EQ(int(float_to_fp8_e4m3(x)), c);
  }
  CHECK_EQ(int(float_to_fp8_e4m3(448.0f)), 0x7E);
  CHECK_EQ(int(float_to_fp8_e4m3(-500.0f)), 0xFE);
}

// complex64 through the core: promotion, casts both ways (real part kept, MLX), the complex
// functors (conjugate, sign, lexicographic maximum), complex GEMM and reductions, and the
// gradient convention (grad of a real loss = dL/dx - i dL/dy, MLX's multiply/real/imag rules).
#include <cmath>
#include <complex>
#include <vector>

#include "check.h"
#include "backend/cpu/elementwise_ops.h"
#include "ops.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/reduce.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

using C = std::complex<double>;

std::vector<C> complex_values(const array& a) {
  eval(a);
  array c = a.converted(Dtype::complex64);  // row order
  std::vector<C> v;
  for (size_t i = 0; i < c.size(); ++i) v.emplace_back(c.data<complex64_t>()[i].real(), c.data<complex64_t>()[i].imag());
  return v;
}

std::vector<double> float_values(const array& a) {
  eval(a);
  array c = a.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

array cvec(const std::vector<complex64_t>& v, Shape shape) { return array::from_vector(v, std::move(shape), Dtype::complex64); }

bool near(C a, C b, double tol = 1e-5) { return std::abs(a - b) <= tol * (1 + std::abs(b)); }

}  // namespace

TEST(complex64_is_an_8_byte_dtype_above_every_other_in_promotion) {
  CHECK(size_of(Dtype::complex64) == 8);
  CHECK(std::string(dtype_name(Dtype::complex64)) == "complex64");
  for (int t = 0; t < num_dtypes; ++t) CHECK(promote_types(Dtype(t), Dtype::complex64) == Dtype::complex64);
  CHECK(is_inexact(Dtype::complex64) && !is_floating(Dtype::complex64) && !is_integral(Dtype::complex64));
  CHECK(to_floating(Dtype::complex64) == Dtype::complex64);
}

TEST(casts_keep_the_real_part_and_bool_tests_both_parts) {
  array z = cvec({{1.5f, -2.0f}, {0.0f, 3.0f}, {0.0f, 0.0f}, {-7.75f, 0.5f}}, {4});
  CHECK((float_values(astype(z, Dtype::float32)) == std::vector<double>{1.5, 0, 0, -7.75}));
  CHECK((float_values(astype(z, Dtype::int32)) == std::vector<double>{1, 0, 0, -7}));
  CHECK((float_values(astype(z, Dtype::bool_)) == std::vector<double>{1, 1, 0, 1}));
  auto back = complex_values(astype(array::from_vector<int32_t>({3, -4}, {2}), Dtype::complex64));
  CHECK(back[0] == C(3, 0) && back[1] == C(-4, 0));
}

TEST(view_reads_interleaved_float32_pairs) {
  array f = array::from_vector<float>({1, 2, 3, 4, 5, 6}, {3, 2});
  array z = view(f, Dtype::complex64);
  CHECK((z.shape() == Shape{3, 1}));
  auto v = complex_values(z);
  CHECK(v[0] == C(1, 2) && v[2] == C(5, 6));
}

TEST(functors_conjugate_sign_and_lexicographic_maximum) {
  complex64_t z(3, -4);
  complex64_t c = ew::Conjugate{}(z);
  CHECK(c.real() == 3 && c.imag() == 4);
  complex64_t s = ew::Sign{}(z);
  CHECK(std::abs(s.real() - 0.6f) < 1e-7 && std::abs(s.imag() + 0.8f) < 1e-7);
  CHECK(ew::Sign{}(complex64_t(0, 0)) == complex64_t(0, 0));
  // Real parts first, then imaginary parts (MLX's order).
  CHECK(ew::Maximum{}(complex64_t(1, 5), complex64_t(2, -9)) == complex64_t(2, -9));
  CHECK(ew::Maximum{}(complex64_t(1, 5), complex64_t(1, 6)) == complex64_t(1, 6));
  CHECK(ew::Minimum{}(complex64_t(1, 5), complex64_t(1, 6)) == complex64_t(1, 5));
  CHECK(complex_isnan(ew::Maximum{}(complex64_t(1, NAN), complex64_t(9, 9))));
}

TEST(arithmetic_and_math_match_std_complex) {
  array a = cvec({{1, 2}, {-0.5f, 0.25f}, {3, -1}}, {3});
  array b = cvec({{0.5f, -1}, {2, 2}, {-1, 0}}, {3});
  auto pa = complex_values(a), pb = complex_values(b);
  auto prod = complex_values(multiply(a, b)), quot = complex_values(divide(a, b));
  auto e = complex_values(exp(a)), l = complex_values(log(a)), r = complex_values(sqrt(a));
  for (int i = 0; i < 3; ++i) {
    CHECK(near(prod[i], pa[i] * pb[i]));
    CHECK(near(quot[i], pa[i] / pb[i]));
    CHECK(near(e[i], std::exp(pa[i])));
    CHECK(near(l[i], std::log(pa[i])));
    CHECK(near(r[i], std::sqrt(pa[i])));
  }
  auto m = float_values(abs(a));
  CHECK(abs(a).dtype() == Dtype::float32);
  CHECK(std::abs(m[0] - std::sqrt(5.0)) < 1e-6);
  auto im = float_values(imag(a));
  CHECK((im == std::vector<double>{2, 0.25, -1}));
}

TEST(complex_matmul_and_reductions) {
  // [[1+i, 2], [0, -i]] @ [[1, i], [2-i, 0]]
  array a = cvec({{1, 1}, {2, 0}, {0, 0}, {0, -1}}, {2, 2});
  array b = cvec({{1, 0}, {0, 1}, {2, -1}, {0, 0}}, {2, 2});
  auto p = complex_values(matmul(a, b));
  CHECK(near(p[0], C(1, 1) * C(1, 0) + C(2, 0) * C(2, -1)));
  CHECK(near(p[1], C(1, 1) * C(0, 1)));
  CHECK(near(p[2], C(0, -1) * C(2, -1)));
  CHECK(near(p[3], C(0, 0)));
  auto s = complex_values(sum(a, std::vector<int>{0}, false));
  CHECK(s[0] == C(1, 1) && s[1] == C(2, -1));
  auto pr = complex_values(prod(a, std::nullopt, false));
  CHECK(pr[0] == C(0, 0));
  auto mx = complex_values(max(a, std::nullopt, false));
  CHECK(mx[0] == C(2, 0));
}

TEST(gradients_follow_dx_minus_i_dy) {
  // L(z) = real(z * w): dL/dx = Re(w), dL/dy = -Im(w), so grad = Re(w) + i Im(w) = w.
  array z = cvec({{0.5f, -1.0f}}, {});
  array w = cvec({{2.0f, 3.0f}}, {});
  auto [v, g] = vjp([&](const std::vector<array>& x) { return std::vector<array>{real(multiply(x[0], w))}; }, {z},
                    {array::scalar(1.0, Dtype::float32)});
  auto gz = complex_values(g[0]);
  CHECK(near(gz[0], C(2, 3)));
  // L(z) = imag(z): dL/dy = 1, so grad = -i.
  auto [v2, g2] = vjp([&](const std::vector<array>& x) { return std::vector<array>{imag(x[0])}; }, {z},
                      {array::scalar(1.0, Dtype::float32)});
  CHECK(near(complex_values(g2[0])[0], C(0, -1)));
  // L(z) = |z| at z = 3 - 4i: dL/dx = 3/5, dL/dy = -4/5, grad = 0.6 + 0.8i.
  array z3 = cvec({{3.0f, -4.0f}}, {});
  auto [v3, g3] = vjp([&](const std::vector<array>& x) { return std::vector<array>{abs(x[0])}; }, {z3},
                      {array::scalar(1.0, Dtype::float32)});
  CHECK(near(complex_values(g3[0])[0], C(0.6, 0.8)));
}

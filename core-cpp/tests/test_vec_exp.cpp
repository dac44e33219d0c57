// The float32 exp / sigmoid / tanh of kernels/vec_exp against float64 std:: functions, in
// units in the last place of the float32 result, over dense sweeps of their whole useful
// range, plus the special values. In this (native) build the span functions run the scalar
// forms; the wasm SIMD128 forms are checked the same way from JS (test/vec_exp.test.ts).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "check.h"
#include "backend/cpu/vec_exp.h"

using namespace mlx;

namespace {

// |got - want| in float32 ulps of want (subnormal spacing below the normal range).
double ulps(float got, double want) {
  double a = std::fabs(want);
  int e;
  std::frexp(a, &e);  // a = m 2^e, m in [0.5, 1)
  double ulp = std::ldexp(1.0, std::max(e - 24, -149));
  return std::fabs(double(got) - want) / ulp;
}

std::vector<float> sweep(float lo, float hi, size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = float(lo + (double(hi) - lo) * double(i) / double(n - 1));
  return v;
}

template <typename Span, typename Ref>
double worst_ulps(Span span, Ref ref, const std::vector<float>& x) {
  std::vector<float> y(x.size());
  span(x.data(), y.data(), x.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double w = ref(double(x[i]));
    // Past the largest float the result is +inf (or the largest float, when rounding down).
    if (w > double(std::numeric_limits<float>::max()) && std::isinf(y[i])) continue;
    worst = std::max(worst, ulps(y[i], w));
  }
  return worst;
}

}  // namespace

TEST(vec_exp_within_2_ulps) {
  // Normal results, the subnormal range and both overflow sides.
  double e = worst_ulps(exp_span, [](double v) { return std::exp(v); }, sweep(-110.0f, 90.0f, 2000003));
  CHECK(e <= 2.0);
  // Near 0, where e^x = 1 + x.
  CHECK(worst_ulps(exp_span, [](double v) { return std::exp(v); }, sweep(-1e-3f, 1e-3f, 100001)) <= 1.0);
}

TEST(vec_exp_special_values) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {-inf, inf, std::nanf(""), 0.0f, -0.0f, -200.0f, 200.0f, 88.72f, -103.0f};
  std::vector<float> y(x.size());
  exp_span(x.data(), y.data(), x.size());
  CHECK_EQ(y[0], 0.0f);
  CHECK(!std::signbit(y[0]));
  CHECK_EQ(y[1], inf);
  CHECK(std::isnan(y[2]));
  CHECK_EQ(y[3], 1.0f);
  CHECK_EQ(y[4], 1.0f);
  CHECK_EQ(y[5], 0.0f);
  CHECK_EQ(y[6], inf);
  CHECK(std::isfinite(y[7]) && y[7] > 3.3e38f);
  CHECK(y[8] > 0.0f && y[8] < 1e-44f);  // subnormal, not flushed
  for (size_t i = 0; i < x.size(); ++i) {
    float s = exp_f32(x[i]);
    CHECK(s == y[i] || (std::isnan(s) && std::isnan(y[i])));
  }
}

TEST(vec_sigmoid_and_tanh_within_a_few_ulps) {
  auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  CHECK(worst_ulps(sigmoid_span, sig, sweep(-105.0f, 30.0f, 1000003)) <= 3.0);
  CHECK(worst_ulps(tanh_span, [](double v) { return std::tanh(v); }, sweep(-12.0f, 12.0f, 1000003)) <= 3.0);
  CHECK(worst_ulps(tanh_span, [](double v) { return std::tanh(v); }, sweep(-1e-3f, 1e-3f, 10001)) <= 1.0);
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {-inf, inf, std::nanf(""), -0.0f, 0.0f};
  std::vector<float> s(x.size()), t(x.size());
  sigmoid_span(x.data(), s.data(), x.size());
  tanh_span(x.data(), t.data(), x.size());
  CHECK_EQ(s[0], 0.0f);
  CHECK_EQ(s[1], 1.0f);
  CHECK(std::isnan(s[2]));
  CHECK_EQ(s[3], 0.5f);
  CHECK_EQ(t[0], -1.0f);
  CHECK_EQ(t[1], 1.0f);
  CHECK(std::isnan(t[2]));
  CHECK(t[3] == 0.0f && std::signbit(t[3]));
  CHECK(t[4] == 0.0f && !std::signbit(t[4]));
}

TEST(vec_softmax_helpers) {
  std::vector<float> x = {1.0f, -2.0f, 3.5f, 0.25f, -7.0f, 2.0f, 3.0f, 1.5f, -1.0f, 0.5f, 3.25f};
  CHECK_EQ(max_span(x.data(), x.size()), 3.5f);
  x[9] = std::nanf("");
  CHECK(std::isnan(max_span(x.data(), x.size())));
  CHECK_EQ(max_span(x.data(), 0), -std::numeric_limits<float>::infinity());
  x[9] = 0.5f;
  std::vector<float> y(x.size());
  float s = exp_shift_sum(x.data(), y.data(), x.size(), 3.5f);
  double want = 0;
  for (float v : x) want += std::exp(double(v) - 3.5);
  CHECK(std::fabs(s - want) <= 1e-6 * want);
  CHECK(std::fabs(y[0] - std::exp(1.0 - 3.5)) <= 2e-7);
}

TEST(vec_exp_nonpos_for_softmax) {
  // exp_shift_sum's exp (x - shift <= 0): within 2.5 ulps down to the smallest normal result,
  // exactly 0 below, and for -inf.
  std::vector<float> x = sweep(-87.3f, 0.0f, 1000003);
  std::vector<float> y(x.size());
  exp_shift_sum(x.data(), y.data(), x.size(), 0.0f);
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(double(x[i]))));
  CHECK(worst <= 2.5);
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> z = {-inf, -88.0f, -200.0f, 0.0f, std::nanf(""), -1.0f, -2.0f, -3.0f, -inf};
  std::vector<float> w(z.size());
  exp_shift_sum(z.data(), w.data(), z.size(), 0.0f);
  CHECK_EQ(w[0], 0.0f);
  CHECK_EQ(w[1], 0.0f);
  CHECK_EQ(w[2], 0.0f);
  CHECK_EQ(w[3], 1.0f);
  CHECK(std::isnan(w[4]));
  CHECK_EQ(w[8], 0.0f);
  for (size_t i = 0; i < z.size(); ++i) {
    float s = exp_nonpos_f32(z[i]);
    CHECK(s == w[i] || (std::isnan(s) && std::isnan(w[i])));
  }
}

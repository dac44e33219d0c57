// custom_function and checkpoint: the user's rules are used, the defaults match plain
// differentiation, and checkpoint recomputes.
#include "check.h"
#include "transforms/custom.h"
#include "ops.h"

using namespace mlx;

namespace {
double item(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  return f.converted(Dtype::float64).data<double>()[0];
}
array scalar(double v) { return array::scalar(v, Dtype::float64); }
}  // namespace

TEST(custom_vjp_replaces_the_derivative) {
  // f(x) = x^2 with a deliberately different vjp: cotangent * 10.
  Function f = custom_function(
      [](const std::vector<array>& xs) { return std::vector<array>{multiply(xs[0], xs[0])}; },
      VjpRule([](const std::vector<array>&, const std::vector<array>& cot, const std::vector<array>&) {
        return std::vector<array>{multiply(cot[0], scalar(10))};
      }),
      std::nullopt);
  auto [v, g] = value_and_grad(f, {scalar(3)});
  CHECK_NEAR(item(v[0]), 9, 1e-12);
  CHECK_NEAR(item(g[0]), 10, 1e-12);
  // No custom jvp: forward mode differentiates the function itself (2x * t).
  auto [o, t] = jvp(f, {scalar(3)}, {scalar(1)});
  CHECK_NEAR(item(t[0]), 6, 1e-12);
}

TEST(custom_jvp_replaces_forward_mode) {
  Function f = custom_function(
      [](const std::vector<array>& xs) { return std::vector<array>{exp(xs[0])}; }, std::nullopt,
      JvpRule([](const std::vector<array>&, const std::vector<array>& tans) {
        return std::vector<array>{multiply(tans[0], scalar(-1))};
      }));
  auto [o, t] = jvp(f, {scalar(0)}, {scalar(2)});
  CHECK_NEAR(item(t[0]), -2, 1e-12);
  auto [v, g] = value_and_grad(f, {scalar(0)});
  CHECK_NEAR(item(g[0]), 1, 1e-12);  // default vjp: d exp(x) at 0
}

TEST(checkpoint_recomputes_and_matches) {
  int calls = 0;
  Function body = [&calls](const std::vector<array>& xs) {
    ++calls;
    array y = xs[0];
    for (int i = 0; i < 5; ++i) y = tanh(multiply(y, xs[1]));
    return std::vector<array>{sum(y)};
  };
  array x = array::from_vector<double>({0.1, -0.4, 0.7}, {3});
  array w = scalar(1.3);
  auto [v0, g0] = value_and_grad(body, {x, w});
  CHECK_EQ(calls, 1);
  calls = 0;
  auto [v1, g1] = value_and_grad(checkpoint(body), {x, w});
  eval(g1);
  CHECK_EQ(calls, 2);  // forward, then again in the backward pass
  CHECK_NEAR(item(v0[0]), item(v1[0]), 1e-14);
  CHECK_NEAR(item(g0[1]), item(g1[1]), 1e-12);
  CHECK_NEAR(item(sum(g0[0])), item(sum(g1[0])), 1e-12);
}

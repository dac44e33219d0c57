// The transforms against hand-derived derivatives and central differences.
#include "check.h"
#include "primitive.h"
#include "ops.h"
#include "transforms/eval_grad.h"
#include "transforms/vmap.h"
#include "ops/slice.h"

using namespace mlx;

namespace {

double item(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  return f.converted(Dtype::float64).data<double>()[0];
}

std::vector<double> vals(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  array c = f.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

array f64(std::vector<double> v, Shape s) { return array::from_vector(v, std::move(s)); }

// Central differences of scalar fun(x) with respect to every element of x.
std::vector<double> numeric_grad(const std::function<array(const array&)>& fun, const array& x) {
  std::vector<double> base = vals(x), g;
  const double h = 1e-6;
  for (size_t i = 0; i < base.size(); ++i) {
    auto up = base, down = base;
    up[i] += h;
    down[i] -= h;
    g.push_back((item(fun(f64(up, x.shape()))) - item(fun(f64(down, x.shape())))) / (2 * h));
  }
  return g;
}

}  // namespace

TEST(grad_of_polynomial) {
  // d/dx sum(x*x*x - 2x) = 3x^2 - 2
  auto f = [](const std::vector<array>& xs) {
    array x = xs[0];
    return std::vector<array>{sum(subtract(multiply(multiply(x, x), x), multiply(array::scalar(2, Dtype::float64), x)))};
  };
  auto [v, g] = value_and_grad(f, {f64({1, 2, -3}, {3})});
  CHECK_NEAR(item(v[0]), (1 - 2) + (8 - 4) + (-27 + 6), 1e-12);
  auto gv = vals(g[0]);
  CHECK_NEAR(gv[0], 1, 1e-12);
  CHECK_NEAR(gv[1], 10, 1e-12);
  CHECK_NEAR(gv[2], 25, 1e-12);
}

TEST(grads_match_finite_differences) {
  array W = f64({0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, {3, 2});
  auto loss = [&](const array& x) {
    // mean(tanh(x @ W) / exp(x[:, :2]?)) simplified: mean(log(exp(tanh(x@W)) + 2) - x@W/3)
    array y = matmul(x, W);
    return mean(subtract(log(add(exp(tanh(y)), array::scalar(2, Dtype::float64))),
                         divide(y, array::scalar(3, Dtype::float64))));
  };
  array x = f64({0.5, -1.0, 2.0, 0.25, 0.75, -0.5}, {2, 3});
  auto [v, g] = value_and_grad([&](const std::vector<array>& xs) { return std::vector<array>{loss(xs[0])}; }, {x});
  auto num = numeric_grad(loss, x);
  auto got = vals(g[0]);
  for (size_t i = 0; i < num.size(); ++i) CHECK_NEAR(got[i], num[i], 1e-7);
  // Gradient with respect to W through a transpose and a broadcast.
  auto loss_w = [&](const array& w) {
    return sum(multiply(transpose(matmul(x, w)), f64({1, 2}, {2, 1})));
  };
  auto [v2, gw] = vjp([&](const std::vector<array>& ws) { return std::vector<array>{loss_w(ws[0])}; }, {W},
                      {array::scalar(1, Dtype::float64)});
  auto numw = numeric_grad(loss_w, W);
  auto gotw = vals(gw[0]);
  for (size_t i = 0; i < numw.size(); ++i) CHECK_NEAR(gotw[i], numw[i], 1e-6);
}

TEST(jvp_matches_vjp) {
  array x = f64({0.3, -0.7, 1.1}, {3});
  array t = f64({1, 0.5, -2}, {3});
  auto f = [](const std::vector<array>& xs) {
    return std::vector<array>{sum(divide(tanh(xs[0]), add(exp(xs[0]), array::scalar(1, Dtype::float64))))};
  };
  auto [outs, tans] = jvp(f, {x}, {t});
  auto [vo, g] = vjp(f, {x}, {array::scalar(1, Dtype::float64)});
  double expect = 0;
  auto gv = vals(g[0]), tv = vals(t);
  for (int i = 0; i < 3; ++i) expect += gv[i] * tv[i];
  CHECK_NEAR(item(tans[0]), expect, 1e-12);
}

TEST(stop_gradient_and_constants) {
  array c = f64({2}, {});
  auto f = [&](const std::vector<array>& xs) {
    return std::vector<array>{add(multiply(xs[0], c), stop_gradient(multiply(xs[0], xs[0])))};
  };
  auto [v, g] = value_and_grad(f, {f64({3}, {})});
  CHECK_NEAR(item(v[0]), 15, 1e-12);
  CHECK_NEAR(item(g[0]), 2, 1e-12);
  // A primal nothing depends on gets zeros.
  auto [v2, g2] = value_and_grad([&](const std::vector<array>& xs) { return std::vector<array>{sum(xs[0])}; },
                                 {f64({1, 2}, {2}), f64({5}, {})});
  CHECK(vals(g2[1]) == std::vector<double>({0}));
}

TEST(grad_errors) {
  auto not_scalar = [](const std::vector<array>& xs) { return std::vector<array>{xs[0]}; };
  CHECK_THROWS(value_and_grad(not_scalar, {f64({1, 2}, {2})}), "[grad] The function must return a scalar");
  CHECK_THROWS(vjp(not_scalar, {f64({1, 2}, {2})}, {f64({1}, {1})}),
               "[vjp] Output shape (2) does not match cotangent shape (1).");
  CHECK_THROWS(jvp(not_scalar, {f64({1, 2}, {2})}, {}), "[jvp] Number of inputs");
}

TEST(second_order_by_nesting) {
  // d2/dx2 of x^3 at 2 = 12
  auto g = [](const std::vector<array>& xs) {
    auto inner = [](const std::vector<array>& ys) {
      return std::vector<array>{multiply(multiply(ys[0], ys[0]), ys[0])};
    };
    return value_and_grad(inner, xs).second;
  };
  auto [v, gg] = value_and_grad(g, {f64({2}, {})});
  CHECK_NEAR(item(v[0]), 12, 1e-12);
  CHECK_NEAR(item(gg[0]), 12, 1e-12);
}

TEST(eval_inside_a_transform_keeps_the_graph) {
  auto f = [](const std::vector<array>& xs) {
    array y = multiply(xs[0], xs[0]);
    eval(y);  // data-dependent control flow would read y here
    array z = item(y) > 3 ? multiply(y, xs[0]) : y;
    return std::vector<array>{z};
  };
  auto [v, g] = value_and_grad(f, {f64({2}, {})});
  CHECK_NEAR(item(g[0]), 12, 1e-12);
}

TEST(vmap_maps_over_axes) {
  // f(x, w) = tanh(x @ w) summed over its last axis, mapped over x's axis 1.
  array x = reshape(arange(0, 12, 1, Dtype::float64), {2, 3, 2});  // batch of 3 along axis 1
  array w = f64({0.1, -0.2, 0.3, 0.4}, {2, 2});
  auto f = [](const std::vector<array>& xs) {
    return std::vector<array>{sum(tanh(matmul(xs[0], xs[1])), std::vector<int>{-1})};
  };
  auto vf = vmap(f, {1, -1}, {0});
  auto out = vf({x, w});
  CHECK(out[0].shape() == Shape({3, 2}));
  for (int b = 0; b < 3; ++b) {
    array xb = reshape(slice(x, {0, b, 0}, {2, b + 1, 2}), {2, 2});
    auto expect = vals(f({xb, w})[0]);
    auto got = vals(slice(out[0], {b, 0}, {b + 1, 2}));
    for (int i = 0; i < 2; ++i) CHECK_NEAR(got[i], expect[i], 1e-12);
  }
  CHECK_THROWS(vmap(f, {0}, {0})({x, w}), "[vmap] The number of in_axes");
  CHECK_THROWS(vmap(f, {-1, -1}, {0})({x, w}), "[vmap] At least one of in_axes");
  CHECK_THROWS(vmap(f, {5, -1}, {0})({x, w}), "[vmap] Axis 5 is out of bounds");
  CHECK_THROWS(vmap(f, {1, 0}, {0})({x, w}), "[vmap] Inconsistent sizes");
}

TEST(vmap_of_grad_and_grad_of_vmap) {
  // Per-example gradients of sum(x^3): 3x^2, mapped over rows.
  array x = f64({1, 2, 3, 4}, {2, 2});
  auto g = [](const std::vector<array>& xs) {
    auto inner = [](const std::vector<array>& ys) {
      return std::vector<array>{sum(multiply(multiply(ys[0], ys[0]), ys[0]))};
    };
    return value_and_grad(inner, xs).second;
  };
  auto per_row = vmap(g, {0}, {0})({x});
  CHECK(vals(per_row[0]) == std::vector<double>({3, 12, 27, 48}));
  // grad of sum(vmap(f)): the same numbers.
  auto h = [](const std::vector<array>& xs) {
    auto f = [](const std::vector<array>& ys) { return std::vector<array>{sum(multiply(multiply(ys[0], ys[0]), ys[0]))}; };
    return std::vector<array>{sum(vmap(f, {0}, {0})(xs)[0])};
  };
  auto [v, gx] = value_and_grad(h, {x});
  CHECK(vals(gx[0]) == std::vector<double>({3, 12, 27, 48}));
  // Outputs that do not depend on the mapped input are broadcast along the batch axis.
  auto konst = vmap([](const std::vector<array>&) { return std::vector<array>{f64({7}, {1})}; }, {0}, {0})({x});
  CHECK(konst[0].shape() == Shape({2, 1}));
}

TEST(vmap_placeholder_cannot_be_evaluated) {
  auto f = [](const std::vector<array>& xs) {
    eval(xs[0]);
    return xs;
  };
  CHECK_THROWS(vmap(f, {0}, {0})({f64({1, 2}, {2})}), "[eval] Attempting to evaluate an array without a value");
}

namespace {
// A primitive with no vmap rule (the default): doubles its input.
class DoubleNoRule : public UnaryPrimitive {
 public:
  const char* name() const override { return "DoubleNoRule"; }
  void eval(const std::vector<array>& in, array& out) override {
    array y = multiply(in[0], array::scalar(2, in[0].dtype()));
    eval_now(y);
    out.copy_shared_buffer(y);
  }
  static void eval_now(const array& y) { mlx::eval(y); }
};
}  // namespace

TEST(vmap_without_a_rule_loops_over_the_batch) {
  auto f = [](const std::vector<array>& xs) {
    return std::vector<array>{sum(array(xs[0].shape(), xs[0].dtype(), std::make_shared<DoubleNoRule>(), {xs[0]}))};
  };
  array x = f64({1, 2, 3, 4, 5, 6}, {3, 2});
  auto out = vmap(f, {0}, {0})({x});
  CHECK(out[0].shape() == Shape({3}));
  CHECK(vals(out[0]) == std::vector<double>({6, 14, 22}));
  auto out1 = vmap(f, {1}, {0})({x});
  CHECK(vals(out1[0]) == std::vector<double>({18, 24}));
}

// compile: same values as eager, one trace per signature, fused chains as one kernel, and
// composition with grad and vmap.
#include "check.h"
#include "transforms/compile.h"
#include "ops.h"
#include "transforms/vmap.h"

using namespace mlx;

namespace {
std::vector<double> vals(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  array c = f.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}
// Eight element-wise ops on arrays of one shape.
std::vector<array> chain(const std::vector<array>& xs) {
  const array& x = xs[0];
  const array& y = xs[1];
  array z = exp(x);
  z = multiply(z, y);
  z = add(z, x);
  z = tanh(z);
  z = subtract(z, y);
  z = negative(z);
  z = divide(z, add(y, y));
  return {z};
}
}  // namespace

TEST(compile_matches_eager_and_fuses_a_chain_into_one_kernel) {
  int calls = 0;
  Function f = [&calls](const std::vector<array>& xs) {
    ++calls;
    return chain(xs);
  };
  Function cf = compile(f);
  array x = array::from_vector<float>({0.1f, -0.5f, 2.0f, 1.5f}, {4});
  array y = array::from_vector<float>({1.0f, 2.0f, 0.5f, 3.0f}, {4});
  eval(std::vector<array>{x, y});
  auto expect = vals(chain({x, y})[0]);
  size_t before = kernel_count();
  array out = cf({x, y})[0];
  eval(out);
  CHECK_EQ(kernel_count() - before, size_t(1));
  auto got = vals(out);
  for (size_t i = 0; i < got.size(); ++i) CHECK_NEAR(got[i], expect[i], 1e-6);
  // A second call with the same signature does not trace again; a new shape does.
  cf({x, y});
  CHECK_EQ(calls, 1);
  array x2 = array::from_vector<float>({1, 2}, {2}), y2 = array::from_vector<float>({3, 4}, {2});
  cf({x2, y2});
  CHECK_EQ(calls, 2);
  cf({astype(x2, Dtype::float64), astype(y2, Dtype::float64)});
  CHECK_EQ(calls, 3);
}

TEST(compile_shapeless_retraces_only_on_ndim_or_dtype) {
  int calls = 0;
  Function cf = compile(
      [&calls](const std::vector<array>& xs) {
        ++calls;
        return std::vector<array>{sum(multiply(exp(xs[0]), xs[0]), std::vector<int>{0}, true)};
      },
      true);
  array a = array::from_vector<float>({1, 2, 3}, {3});
  array b = array::from_vector<float>({1, 2, 3, 4, 5}, {5});
  CHECK_NEAR(vals(cf({a})[0])[0], 1 * std::exp(1.0) + 2 * std::exp(2.0) + 3 * std::exp(3.0), 1e-3);
  auto vb = vals(cf({b})[0]);
  CHECK_EQ(calls, 1);
  double e = 0;
  for (int i = 1; i <= 5; ++i) e += i * std::exp(double(i));
  CHECK_NEAR(vb[0], e, 1e-1);
  cf({reshape(b, {5, 1})});
  CHECK_EQ(calls, 2);
}

TEST(compile_composes_with_grad_and_vmap) {
  Function cf = compile(chain);
  array x = array::from_vector<double>({0.1, -0.5, 2.0}, {3});
  array y = array::from_vector<double>({1.0, 2.0, 0.5}, {3});
  auto loss = [](const Function& f) {
    return [f](const std::vector<array>& xs) { return std::vector<array>{sum(f(xs)[0])}; };
  };
  auto g_eager = value_and_grad(loss(chain), {x, y}).second;
  auto g_comp = value_and_grad(loss(cf), {x, y}).second;
  for (int k = 0; k < 2; ++k) {
    auto a = vals(g_eager[k]), b = vals(g_comp[k]);
    for (size_t i = 0; i < a.size(); ++i) CHECK_NEAR(a[i], b[i], 1e-12);
  }
  array xb = reshape(astype(arange(0, 6, 1, Dtype::float64), Dtype::float64), {2, 3});
  auto v_eager = vals(vmap(chain, {0, -1}, {0})({xb, y})[0]);
  auto v_comp = vals(vmap(cf, {0, -1}, {0})({xb, y})[0]);
  for (size_t i = 0; i < v_eager.size(); ++i) CHECK_NEAR(v_eager[i], v_comp[i], 1e-12);
}

TEST(compile_merges_equivalent_nodes) {
  int calls = 0;
  Function cf = compile([&calls](const std::vector<array>& xs) {
    ++calls;
    return std::vector<array>{add(exp(xs[0]), exp(xs[0]))};  // exp computed once
  });
  array x = array::from_vector<float>({0, 1}, {2});
  eval(x);
  size_t before = kernel_count();
  auto v = vals(cf({x})[0]);
  CHECK_NEAR(v[1], 2 * std::exp(1.0), 1e-5);
  CHECK(kernel_count() - before <= 3);  // one fused kernel plus the read-back cast/copy
}

// walk_graph (graph_walk.h), the one walk under eval, vjp/jvp, vmap and compile: dependency
// order, one visit per node (a multi-output node included), the skip rule, no recursion; and
// the transforms that use it: a multi-output primitive's vmap rule runs once, and long chains
// go through grad, vmap and compile.
#include "check.h"
#include "transforms/compile.h"
#include "transforms/custom.h"
#include "transforms/graph_walk.h"
#include "ops.h"
#include "ops/elementwise.h"
#include "transforms/vmap.h"

using namespace mlx;

namespace {

std::vector<double> values(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  array c = f.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}
array f32(std::vector<float> v, Shape s) { return array::from_vector(v, std::move(s)); }

}  // namespace

TEST(walk_visits_inputs_before_their_users_once_each) {
  array x = f32({1, 2}, {2});
  array a = exp(x);
  array b = multiply(a, a);  // a reached twice
  array c = add(b, a);
  std::vector<uintptr_t> order;
  walk_graph({c, b}, [&](array& n) { order.push_back(n.id()); });
  CHECK((order == std::vector<uintptr_t>{x.id(), a.id(), b.id(), c.id()}));
}

TEST(walk_visits_a_multi_output_node_once) {
  array x = f32({7, -7, 9}, {3});
  std::vector<array> qr = divmod(x, array::scalar(2, Dtype::float32));
  array s = add(qr[0], qr[1]);
  int divmods = 0, nodes = 0;
  walk_graph({qr[1], s, qr[0]}, [&](array& n) {
    ++nodes;
    if (n.has_primitive() && std::string(n.primitive().name()) == "DivMod") ++divmods;
  });
  CHECK_EQ(divmods, 1);
  CHECK(nodes >= 4);  // x, 2, divmod, add (and any broadcast)
}

TEST(walk_skip_stops_at_a_node_and_its_inputs) {
  array x = f32({1, 2}, {2});
  array a = exp(x);
  array b = negative(a);
  std::vector<uintptr_t> order;
  walk_graph(
      {b}, [&](const array& n) { return n.id() == a.id(); }, [&](array& n) { order.push_back(n.id()); });
  CHECK((order == std::vector<uintptr_t>{b.id()}));
}

TEST(walk_handles_a_100000_op_chain) {
  array x = array::scalar(0, Dtype::float32);
  array y = x;
  for (int i = 0; i < 100000; ++i) y = add(y, x);
  size_t nodes = 0;
  walk_graph({y}, [&](array&) { ++nodes; });
  CHECK_EQ(nodes, size_t(100001));
}

// Before the walk treated siblings as one node, vmap rewrote a multi-output node once per
// output reached, running its rule (here a user's closure) twice.
TEST(vmap_runs_a_multi_output_rule_once) {
  int calls = 0;
  Function f = custom_function(
      [](const std::vector<array>& xs) { return std::vector<array>{exp(xs[0]), negative(xs[0])}; }, std::nullopt,
      std::nullopt,
      VmapRule([&calls](const std::vector<array>& xs, const std::vector<int>& axes) {
        ++calls;
        return std::make_pair(std::vector<array>{multiply(xs[0], array::scalar(2, Dtype::float32)),
                                                 multiply(xs[0], array::scalar(3, Dtype::float32))},
                              std::vector<int>{axes[0], axes[0]});
      }));
  std::vector<array> outs = vmap(f, {0}, {0})({f32({1, 2, 3, 4}, {2, 2})});
  CHECK_EQ(calls, 1);
  CHECK((values(outs[0]) == std::vector<double>{2, 4, 6, 8}));
  CHECK((values(outs[1]) == std::vector<double>{3, 6, 9, 12}));
}

TEST(vjp_vmap_and_compile_handle_a_100000_op_chain) {
  const int n = 100000;
  Function chain = [n](const std::vector<array>& xs) {
    array y = xs[0];
    for (int i = 0; i < n; ++i) y = add(y, xs[0]);
    return std::vector<array>{sum(y)};
  };
  array x = f32({1, 2}, {2});
  auto [v, g] = value_and_grad(chain, {x});
  CHECK_EQ(values(v[0])[0], double(n + 1) * 3);
  CHECK((values(g[0]) == std::vector<double>{n + 1.0, n + 1.0}));
  std::vector<array> batched = vmap(chain, {0}, {0})({x});
  CHECK((values(batched[0]) == std::vector<double>{n + 1.0, 2 * (n + 1.0)}));
  // int32: not fused (fusion takes floating dtypes), so the tape keeps every node.
  std::vector<array> compiled = compile(chain)({astype(x, Dtype::int32)});
  CHECK_EQ(values(compiled[0])[0], double(n + 1) * 3);
}

// vmap rules of the shape, indexing, sort, creation and random primitives: every vmapped
// op equals a loop over the batch, and its graph has no per-element loop (the fallback
// batching writes each element with a SliceUpdate, which none of these ops uses).
#include <unordered_set>

#include "check.h"
#include "ops.h"
#include "ops/creation.h"
#include "ops/indexing.h"
#include "ops/random.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "ops/sort.h"
#include "primitive.h"
#include "transforms/vmap.h"

using namespace mlx;

namespace {

std::vector<double> values(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  array c = f.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

// Element b of `x` along `axis` (the axis removed).
array element(const array& x, int b, int axis) { return take(x, array::scalar(b, Dtype::int32), axis); }

bool has_loop(const array& out) {
  std::unordered_set<uintptr_t> seen;
  std::vector<array> stack{out};
  while (!stack.empty()) {
    array a = stack.back();
    stack.pop_back();
    if (!seen.insert(a.id()).second || !a.has_primitive()) continue;
    if (std::string(a.primitive().name()) == "SliceUpdate") return true;
    for (auto& in : a.inputs()) stack.push_back(in);
  }
  return false;
}

// vmap(f, in_axes) against f on each batch element, output batch at 0.
void check_vmap(const Function& f, const std::vector<array>& xs, const std::vector<int>& in_axes) {
  int n = -1;
  for (size_t i = 0; i < xs.size(); ++i)
    if (in_axes[i] >= 0) n = xs[i].shape(in_axes[i]);
  std::vector<array> got = vmap(f, in_axes, {0})(xs);
  for (auto& g : got) CHECK(!has_loop(g));
  for (int b = 0; b < n; ++b) {
    std::vector<array> el;
    for (size_t i = 0; i < xs.size(); ++i) el.push_back(in_axes[i] < 0 ? xs[i] : element(xs[i], b, in_axes[i]));
    std::vector<array> want = f(el);
    for (size_t k = 0; k < want.size(); ++k) {
      array g = element(got[k], b, 0);
      CHECK(g.shape() == want[k].shape());
      CHECK(g.dtype() == want[k].dtype());
      auto gv = values(g), wv = values(want[k]);
      CHECK_EQ(gv.size(), wv.size());
      for (size_t i = 0; i < gv.size() && i < wv.size(); ++i) CHECK_NEAR(gv[i], wv[i], 1e-6);
    }
  }
}

array iota(Shape s, Dtype t = Dtype::float32) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return reshape(arange(0, double(n), 1, t), std::move(s));
}

Function one(std::function<array(const std::vector<array>&)> f) {
  return [f](const std::vector<array>& xs) { return std::vector<array>{f(xs)}; };
}

}  // namespace

TEST(vmap_shape) {
  array x = iota({2, 3, 4});
  array y = iota({2, 5});
  auto cat = one([](const std::vector<array>& v) { return concatenate({v[0], v[1]}, 1); });
  check_vmap(cat, {x, y}, {2, -1});
  check_vmap(cat, {transpose(x), iota({4, 3, 1})}, {0, 0});
  auto diag = one([](const std::vector<array>& v) { return diagonal(v[0], 1, 1, 0); });
  check_vmap(diag, {iota({3, 5, 4})}, {1});
}

TEST(vmap_gather) {
  array x = iota({4, 5, 3});
  array idx = array::from_vector(std::vector<int32_t>{2, 0, -1, 1, 1, 0, 3, 2}, {4, 2});
  auto g = one([](const std::vector<array>& v) { return take(v[0], v[1], 0); });
  check_vmap(g, {x, idx}, {0, -1});  // source only
  check_vmap(g, {x, idx}, {-1, 0});  // indices only
  check_vmap(g, {x, idx}, {0, 0});   // both
  check_vmap(g, {transpose(x, std::vector<int>{1, 2, 0}), transpose(idx)}, {2, 1});
  auto along = one([](const std::vector<array>& v) { return take_along_axis(v[0], v[1], 0); });
  check_vmap(along, {iota({3, 4}), array::from_vector(std::vector<int32_t>{2, 0, 1, 3, 0, 0}, {3, 2})},
             {0, 0});
  // Several index arrays and a slice wider than 1.
  auto multi = one([](const std::vector<array>& v) {
    return gather(v[0], {v[1], v[2]}, {0, 2}, {1, 2, 1});
  });
  array i0 = array::from_vector(std::vector<int32_t>{0, 1, 1, 0, 2, 1}, {3, 2});
  array i1 = array::from_vector(std::vector<int32_t>{2, 0}, {2});
  check_vmap(multi, {iota({3, 3, 2, 3}), i0, i1}, {1, 0, -1});
}

TEST(vmap_scatter) {
  array x = iota({3, 4});
  array idx = array::from_vector(std::vector<int32_t>{1, 1, 3, 0, 2, 0}, {3, 2});
  array upd = negative(iota({3, 2, 1}));
  // One batch element of each (the operands left unbatched).
  array x1 = iota({4}), i1 = array::from_vector(std::vector<int32_t>{2, -1}, {2}), u1 = iota({2, 1});
  for (ScatterType t : {ScatterType::None, ScatterType::Sum, ScatterType::Prod, ScatterType::Max,
                        ScatterType::Min}) {
    auto f = one([t](const std::vector<array>& v) {
      // updates (2, 1) per batch element: B = (2), slice (1)
      return scatter(v[0], {v[1]}, v[2], {0}, t);
    });
    check_vmap(f, {x, i1, u1}, {0, -1, -1});
    check_vmap(f, {x1, idx, u1}, {-1, 0, -1});
    check_vmap(f, {x1, i1, upd}, {-1, -1, 0});
    check_vmap(f, {transpose(x), transpose(idx), upd}, {1, 1, 0});
  }
  auto put = one([](const std::vector<array>& v) { return put_along_axis(v[0], v[1], v[2], 1); });
  check_vmap(put, {iota({2, 3, 4}), array::from_vector(std::vector<int32_t>{3, 0, 1}, {3, 1}), iota({2, 3, 1})},
             {0, -1, 0});
}

TEST(vmap_sort) {
  array x = array::from_vector(std::vector<float>{3, 1, 2, 9, -1, 4, 0, 7, 5, 5, 8, 6}, {3, 4});
  for (int ax : {0, 1}) {
    int other = 1 - ax;
    check_vmap(one([other](const std::vector<array>& v) { return sort(v[0], -1 + other); }), {x}, {ax});
    check_vmap(one([](const std::vector<array>& v) { return argsort(v[0], 0); }), {x}, {ax});
    check_vmap(one([](const std::vector<array>& v) { return partition(v[0], 1, 0); }), {x}, {ax});
    check_vmap(one([](const std::vector<array>& v) { return argpartition(v[0], -1, 0); }), {x}, {ax});
    check_vmap(one([](const std::vector<array>& v) { return topk(v[0], 2, 0); }), {x}, {ax});
  }
  check_vmap(one([](const std::vector<array>& v) { return argsort(v[0], 1); }), {iota({2, 3, 4})}, {1});
}

TEST(vmap_creation) {
  array x = iota({3, 4, 2});
  check_vmap(one([](const std::vector<array>& v) { return tril(v[0], 0); }), {x}, {2});
  check_vmap(one([](const std::vector<array>& v) { return triu(v[0], -1); }), {x}, {0});
  check_vmap(one([](const std::vector<array>& v) { return add(triu(v[0], 1), eye(4, 2, 0)); }), {x}, {0});
}

TEST(vmap_random) {
  array keys = random::split(random::key(7), 3);  // (3, 2)
  check_vmap(one([](const std::vector<array>& v) { return random::bits({5}, 4, v[0]); }), {keys}, {0});
  check_vmap(one([](const std::vector<array>& v) { return random::bits({2, 3}, 1, v[0]); }), {transpose(keys)},
             {1});
  check_vmap(one([](const std::vector<array>& v) { return random::normal({4}, Dtype::float16, std::nullopt,
                                                                          std::nullopt, v[0]); }),
             {keys}, {0});
  // A batched parameter with an unbatched key: the same bits, transformed per element.
  array k = random::key(3);
  auto uni = one([](const std::vector<array>& v) {
    return random::uniform(v[0], array::scalar(10.0, Dtype::float32), {2}, Dtype::float32, v[1]);
  });
  check_vmap(uni, {array::from_vector(std::vector<float>{0, 5, 9}, {3}), k}, {0, -1});
  auto bern = one([](const std::vector<array>& v) { return random::bernoulli(v[0], std::nullopt, v[1]); });
  check_vmap(bern, {array::from_vector(std::vector<float>{0.1f, 0.9f, 0.5f, 0.3f, 0.7f, 0.2f}, {2, 3}), keys},
             {1, 0});
  auto ri = one([](const std::vector<array>& v) {
    return random::randint(v[0], array::scalar(100, Dtype::int32), {3}, Dtype::int32, v[1]);
  });
  check_vmap(ri, {array::from_vector(std::vector<int32_t>{0, 50, 90}, {3}), keys}, {0, 0});
  auto tn = one([](const std::vector<array>& v) {
    return random::truncated_normal(v[0], array::scalar(1.0, Dtype::float32), std::nullopt, Dtype::float32, v[1]);
  });
  check_vmap(tn, {array::from_vector(std::vector<float>{-1, 0, 0.5f}, {3}), keys}, {0, 0});
  // Unbatched bits broadcast along the batch (a strided view the transforms must read).
  check_vmap(tn, {array::from_vector(std::vector<float>{-1, 0, 0.5f}, {3}), k}, {0, -1});
  check_vmap(ri, {array::from_vector(std::vector<int32_t>{0, 50, 90}, {3}), k}, {0, -1});
  check_vmap(bern, {array::from_vector(std::vector<float>{0.1f, 0.9f, 0.5f, 0.3f, 0.7f, 0.2f}, {2, 3}), k}, {1, -1});
  // Vmap of vmap: a (2, 3) batch of keys gives each of the six its own stream.
  array grid = reshape(random::split(random::key(1), 6), {2, 3, 2});
  auto inner = vmap(one([](const std::vector<array>& v) { return random::bits({4}, 4, v[0]); }), {0}, {0});
  array both = vmap(inner, {0}, {0})({grid})[0];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      auto want = values(random::bits({4}, 4, element(element(grid, i, 0), j, 0)));
      auto got = values(element(element(both, i, 0), j, 0));
      for (int e = 0; e < 4; ++e) CHECK_EQ(got[e], want[e]);
    }
}

// permutation now takes with `take`: an empty axis gives an empty take (as NumPy), and a
// non-empty take from it is an error naming the op.
TEST(take_on_an_empty_axis) {
  array e = zeros({2, 0}, Dtype::float32);
  array none = zeros({0}, Dtype::int32);
  CHECK(take(e, none, 1).shape() == Shape({2, 0}));
  CHECK(random::permutation(0, random::key(1)).shape() == Shape({0}));
  CHECK_THROWS(take(e, array::from_vector(std::vector<int32_t>{0}, {1}), 1), "[take] Cannot do a non-empty take");
}

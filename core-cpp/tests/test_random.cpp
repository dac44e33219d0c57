// Unit tests of the random, sort and creation families where the kernels are subtle:
// threefry known answers, the stream layout, sort order with NaNs, gradients' plumbing.
#include <cmath>
#include <limits>

#include "check.h"
#include "backend/cpu/random.h"
#include "ops.h"
#include "ops/creation.h"
#include "ops/random.h"
#include "ops/sort.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {
template <typename T>
std::vector<T> vals(const array& a) {
  eval(a);
  array c = a.converted(a.dtype());
  return std::vector<T>(c.data<T>(), c.data<T>() + c.size());
}
}  // namespace

TEST(threefry_known_answers) {
  // Random123's known-answer vectors for threefry2x32_20.
  auto z = threefry2x32({0, 0}, {0, 0});
  CHECK_EQ(z.first, 0x6b200159u);
  CHECK_EQ(z.second, 0x99ba4efeu);
  auto f = threefry2x32({0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu});
  CHECK_EQ(f.first, 0x1cb996fcu);
  CHECK_EQ(f.second, 0xbb002be7u);
  auto pi = threefry2x32({0x13198a2eu, 0x03707344u}, {0x243f6a88u, 0x85a308d3u});
  CHECK_EQ(pi.first, 0xc4923a9cu);
  CHECK_EQ(pi.second, 0x483df7a0u);
}

TEST(random_stream_layout) {
  // 3 words: (0, 2) -> words 0 and 2; the middle word from (1, 0).
  uint32_t w[3];
  random_stream({1, 2}, reinterpret_cast<uint8_t*>(w), sizeof(w));
  auto a = threefry2x32({1, 2}, {0, 2});
  auto b = threefry2x32({1, 2}, {1, 0});
  CHECK_EQ(w[0], a.first);
  CHECK_EQ(w[2], a.second);
  CHECK_EQ(w[1], b.first);
  // The bits op and split agree with the stream.
  auto k = random::key(0x100000002ull);
  auto v = vals<uint32_t>(random::bits({3}, 4, k));
  CHECK_EQ(v[0], w[0]);
  CHECK_EQ(v[1], w[1]);
  CHECK_EQ(v[2], w[2]);
}

TEST(global_key_is_reproducible) {
  random::seed(7);
  auto a = vals<float>(random::uniform(array::scalar(0, Dtype::float32), array::scalar(1, Dtype::float32), {4}));
  auto b = vals<float>(random::uniform(array::scalar(0, Dtype::float32), array::scalar(1, Dtype::float32), {4}));
  random::seed(7);
  auto c = vals<float>(random::uniform(array::scalar(0, Dtype::float32), array::scalar(1, Dtype::float32), {4}));
  CHECK(a == c);
  CHECK(a != b);
  for (float x : a) CHECK(x >= 0 && x < 1);
}

TEST(sort_puts_nans_last_and_is_stable) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  auto x = array::from_vector(std::vector<float>{3, nan, 1, 2, 1}, {5});
  auto s = vals<float>(sort(x, 0));
  CHECK_EQ(s[0], 1.0f);
  CHECK_EQ(s[3], 3.0f);
  CHECK(std::isnan(s[4]));
  auto i = vals<uint32_t>(argsort(x, 0));
  CHECK_EQ(i[0], 2u);
  CHECK_EQ(i[1], 4u);
  CHECK_EQ(i[4], 1u);
  CHECK_THROWS(sort(x, 1), "[sort]");
  CHECK_THROWS(topk(x, 6, 0), "[topk]");
}

TEST(sort_vjp_scatters_through_the_permutation) {
  auto x = array::from_vector(std::vector<float>{3, 1, 2}, {3});
  auto c = array::from_vector(std::vector<float>{10, 20, 30}, {3});
  auto [outs, g] = vjp([](const std::vector<array>& a) { return std::vector<array>{sort(a[0], 0)}; }, {x}, {c});
  auto v = vals<float>(g[0]);
  CHECK_EQ(v[0], 30.0f);
  CHECK_EQ(v[1], 10.0f);
  CHECK_EQ(v[2], 20.0f);
}

TEST(linspace_endpoints_are_exact) {
  auto v = vals<float>(linspace(0.1, 0.7, 7));
  CHECK_EQ(v[0], 0.1f);
  CHECK_EQ(v[6], 0.7f);
  auto t = vals<float>(tril(ones({2, 2}), 0));
  CHECK_EQ(t[1], 0.0f);
  CHECK_EQ(t[2], 1.0f);
}

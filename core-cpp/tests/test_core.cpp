// Unit tests of the core in C++: dtypes, layouts, ops, evaluation and memory.
#include <limits>

#include "allocator.h"
#include "check.h"
#include "ops.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

template <typename T>
std::vector<double> values(const array& a) {
  eval(a);
  array c = a.converted(a.dtype());  // row order
  std::vector<double> v;
  for (size_t i = 0; i < c.size(); ++i) v.push_back(double(c.data<T>()[i]));
  return v;
}

std::vector<double> fvalues(const array& a) { return values<float>(astype(a, Dtype::float32)); }

array f32(std::vector<float> v, Shape s) { return array::from_vector(v, std::move(s)); }

}  // namespace

TEST(promotion_matches_mlx) {
  CHECK(promote_types(Dtype::int32, Dtype::float32) == Dtype::float32);
  CHECK(promote_types(Dtype::bool_, Dtype::int8) == Dtype::int8);
  CHECK(promote_types(Dtype::float16, Dtype::float32) == Dtype::float32);
  CHECK(promote_types(Dtype::uint8, Dtype::int8) == Dtype::int16);
  CHECK(promote_types(Dtype::uint64, Dtype::int8) == Dtype::float32);
  CHECK(promote_types(Dtype::float16, Dtype::bfloat16) == Dtype::float32);
  CHECK(promote_types(Dtype::bfloat16, Dtype::int64) == Dtype::bfloat16);
  CHECK(promote_types(Dtype::float64, Dtype::bfloat16) == Dtype::float64);
  // The table is symmetric.
  for (int i = 0; i < num_dtypes; ++i)
    for (int j = 0; j < num_dtypes; ++j)
      CHECK(promote_types(Dtype(i), Dtype(j)) == promote_types(Dtype(j), Dtype(i)));
}

TEST(half_conversions_round_to_nearest_even) {
  CHECK_EQ(float(float16_t(1.0f)), 1.0f);
  CHECK_EQ(float16_t(1.0f).bits, 0x3c00);
  CHECK_EQ(float16_t(65504.0f).bits, 0x7bff);
  CHECK_EQ(float16_t(65520.0f).bits, 0x7c00);  // rounds up to inf
  CHECK_EQ(float16_t(1.0f + 1.0f / 2048).bits, 0x3c00);  // tie -> even
  CHECK_EQ(float16_t(1.0f + 3.0f / 2048).bits, 0x3c02);  // tie -> even (up)
  CHECK_EQ(float(float16_t(5.960464477539063e-08f)), 5.960464477539063e-08f);  // smallest subnormal
  CHECK(std::isnan(float(float16_t(std::numeric_limits<float>::quiet_NaN()))));
  CHECK_EQ(bfloat16_t(1.0f).bits, 0x3f80);
  CHECK_EQ(float(bfloat16_t(3.140625f)), 3.140625f);
  CHECK_EQ(bfloat16_t(1.0f + 1.0f / 256).bits, 0x3f80);  // tie -> even
}

TEST(add_broadcasts_and_promotes) {
  array a = array::from_vector<int32_t>({1, 2, 3, 4}, {2, 2});
  array b = array::scalar(1, Dtype::int32);
  array c = add(a, b);
  CHECK(c.dtype() == Dtype::int32);
  CHECK(values<int32_t>(c) == std::vector<double>({2, 3, 4, 5}));
  array row = f32({10, 20, 30}, {3});
  array col = f32({1, 2}, {2, 1});
  array d = add(row, col);
  CHECK(d.shape() == Shape({2, 3}));
  CHECK(fvalues(d) == std::vector<double>({11, 21, 31, 12, 22, 32}));
  CHECK(add(a, f32({0.5}, {1})).dtype() == Dtype::float32);
  CHECK_THROWS(add(f32({1, 2, 3}, {3}), f32({1, 2}, {2})), "[add] Shapes (3) and (2) cannot be broadcast.");
}

TEST(arithmetic_values) {
  array a = f32({1, 2, 3, 4}, {4});
  array b = f32({2, 4, 8, 16}, {4});
  CHECK(fvalues(subtract(a, b)) == std::vector<double>({-1, -2, -5, -12}));
  CHECK(fvalues(multiply(a, b)) == std::vector<double>({2, 8, 24, 64}));
  CHECK(fvalues(divide(a, b)) == std::vector<double>({0.5, 0.5, 0.375, 0.25}));
  CHECK(divide(array::scalar(7, Dtype::int32), array::scalar(2, Dtype::int32)).dtype() == Dtype::float32);
  CHECK(fvalues(negative(a)) == std::vector<double>({-1, -2, -3, -4}));
  auto e = fvalues(exp(a));
  CHECK_NEAR(e[1], std::exp(2.0), 1e-5);
  CHECK_NEAR(fvalues(log(a))[3], std::log(4.0), 1e-6);
  CHECK_NEAR(fvalues(tanh(a))[0], std::tanh(1.0), 1e-6);
  CHECK(exp(array::scalar(1, Dtype::int32)).dtype() == Dtype::float32);
  CHECK_THROWS(negative(array::scalar(1, Dtype::bool_)), "[negative]");
}

TEST(float16_computes_in_float32) {
  array a = array::from_vector<float>({1000, 0.1f}, {2}, Dtype::float16);
  array s = add(a, a);
  CHECK(s.dtype() == Dtype::float16);
  auto v = fvalues(s);
  CHECK_EQ(v[0], 2000.0);
  CHECK_NEAR(v[1], 0.2, 1e-3);
  array m = mean(array::from_vector<float>({1, 2, 3, 4}, {4}, Dtype::bfloat16));
  CHECK(m.dtype() == Dtype::bfloat16);
  CHECK_EQ(fvalues(m)[0], 2.5);
}

TEST(reductions_over_axes) {
  array x = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(fvalues(sum(x)) == std::vector<double>({21}));
  array s1 = sum(x, std::vector<int>{1}, true);
  CHECK(s1.shape() == Shape({2, 1}));
  CHECK(fvalues(s1) == std::vector<double>({6, 15}));
  CHECK(fvalues(sum(x, std::vector<int>{0})) == std::vector<double>({5, 7, 9}));
  CHECK(fvalues(sum(x, std::vector<int>{-1})) == std::vector<double>({6, 15}));
  CHECK(fvalues(mean(x, std::vector<int>{0})) == std::vector<double>({2.5, 3.5, 4.5}));
  CHECK(fvalues(max(x, std::vector<int>{1})) == std::vector<double>({3, 6}));
  // Reductions of a transposed (strided) input.
  CHECK(fvalues(sum(transpose(x), std::vector<int>{1})) == std::vector<double>({5, 7, 9}));
  CHECK(sum(array::from_vector<int8_t>({100, 100}, {2})).dtype() == Dtype::int32);
  CHECK_EQ(values<int32_t>(sum(array::from_vector<int8_t>({100, 100}, {2})))[0], 200.0);
  CHECK(sum(array::from_vector<bool>({true, true, false}, {3})).dtype() == Dtype::int32);
  CHECK(mean(array::from_vector<int32_t>({1, 2}, {2})).dtype() == Dtype::float32);
  float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(fvalues(max(f32({1, nan, 3}, {3})))[0]));
  CHECK_THROWS(sum(x, std::vector<int>{2}), "[sum] Invalid axis 2");
  CHECK_THROWS(max(f32({}, {0})), "[max]");
}

TEST(views_share_buffers) {
  array x = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  eval(x);
  array t = transpose(x);
  eval(t);
  CHECK(t.buffer() == x.buffer());
  CHECK(!t.flags().row_contiguous);
  CHECK(t.flags().col_contiguous);
  CHECK(fvalues(t) == std::vector<double>({1, 4, 2, 5, 3, 6}));
  array r = reshape(x, {3, 2});
  eval(r);
  CHECK(r.buffer() == x.buffer());
  array b = broadcast_to(f32({7}, {1}), {2, 3});
  eval(b);
  CHECK_EQ(b.data_size(), size_t(1));
  CHECK(fvalues(b) == std::vector<double>(6, 7));
  // A reshape of a strided array copies.
  CHECK(fvalues(reshape(t, {6})) == std::vector<double>({1, 4, 2, 5, 3, 6}));
  CHECK(reshape(x, {-1}).shape() == Shape({6}));
  CHECK_THROWS(reshape(x, {4}), "[reshape] Cannot reshape array of size 6 into shape (4).");
  CHECK_THROWS(broadcast_to(x, {3, 3}), "[broadcast_to]");
  CHECK_THROWS(transpose(x, std::vector<int>{0, 0}), "[transpose]");
}

TEST(strided_inputs_in_binary_ops) {
  array x = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  array y = f32({10, 20, 30, 40, 50, 60}, {3, 2});
  CHECK(fvalues(add(transpose(x), y)) == std::vector<double>({11, 24, 32, 45, 53, 66}));
  CHECK(fvalues(exp(transpose(log(x))))[1] > 3.99);
}

TEST(matmul_numpy_semantics) {
  array a = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  array b = f32({7, 8, 9, 10, 11, 12}, {3, 2});
  CHECK(fvalues(matmul(a, b)) == std::vector<double>({58, 64, 139, 154}));
  CHECK(fvalues(matmul(transpose(b), transpose(a))) == std::vector<double>({58, 139, 64, 154}));
  array v = f32({1, 1, 1}, {3});
  CHECK(matmul(a, v).shape() == Shape({2}));
  CHECK(fvalues(matmul(a, v)) == std::vector<double>({6, 15}));
  CHECK(matmul(v, b).shape() == Shape({2}));
  // Batched with broadcast: [2,1,2,3] @ [3,2] -> [2,1,2,2]
  array batch = reshape(astype(arange(0, 12, 1, Dtype::float32), Dtype::float32), {2, 1, 2, 3});
  array m = matmul(batch, b);
  CHECK(m.shape() == Shape({2, 1, 2, 2}));
  CHECK(fvalues(m) == std::vector<double>({31, 34, 112, 124, 193, 214, 274, 304}));
  CHECK_THROWS(matmul(a, a), "[matmul] Last dimension");
  CHECK_THROWS(matmul(array::scalar(1, Dtype::int32), a), "[matmul]");
  CHECK_THROWS(matmul(array::from_vector<int32_t>({1}, {1, 1}), array::from_vector<int32_t>({1}, {1, 1})),
               "[matmul] Only real floating point types");
}

TEST(creation_ops) {
  array r = arange(0, 5, 1, Dtype::int32);
  CHECK(values<int32_t>(r) == std::vector<double>({0, 1, 2, 3, 4}));
  CHECK_EQ(arange(0, 1, 0.3, Dtype::float32).size(), size_t(4));
  CHECK_EQ(arange(5, 0, 1, Dtype::float32).size(), size_t(0));
  CHECK_THROWS(arange(0, 1, 0, Dtype::float32), "[arange]");
  array z = zeros({2, 2}, Dtype::int32);
  CHECK(values<int32_t>(z) == std::vector<double>(4, 0));
  CHECK(fvalues(full({3}, array::scalar(2.5, Dtype::float32))) == std::vector<double>(3, 2.5));
  CHECK(values<uint8_t>(astype(f32({1.7f, 255}, {2}), Dtype::uint8)) == std::vector<double>({1, 255}));
}

TEST(long_chain_evaluates_and_frees) {
  size_t live0 = array::live_count();
  {
    array x = array::scalar(0, Dtype::float32);
    for (int i = 0; i < 100000; ++i) x = add(x, array::scalar(1, Dtype::float32));
    eval(x);
    CHECK_EQ(fvalues(x)[0], 100000.0);
  }
  {
    // Never evaluated: destruction alone must not recurse.
    array x = array::scalar(0, Dtype::float32);
    for (int i = 0; i < 100000; ++i) x = add(x, x);
  }
  CHECK_EQ(array::live_count(), live0);
}

TEST(buffers_are_donated) {
  // exp(exp(x)) where the inner result has no other owner runs in place.
  array x = f32(std::vector<float>(1024, 0.0f), {1024});
  eval(x);
  size_t active0 = allocator::active_memory();
  allocator::reset_peak_memory();
  array y = exp(add(exp(x), x));
  eval(y);
  // Without donation the peak would hold x, exp(x), add and exp at once.
  CHECK(allocator::peak_memory() - active0 <= 2 * 4096);
}

TEST(memory_limit_is_a_clear_error) {
  allocator::set_memory_limit(1 << 20);
  array big = zeros({1024, 1024}, Dtype::float32);
  CHECK_THROWS(eval(add(big, big)), "[malloc] Attempting to allocate");
  allocator::set_memory_limit(0);
  array ok = add(zeros({4}, Dtype::float32), ones({4}));
  CHECK(fvalues(ok) == std::vector<double>(4, 1));
}

TEST(allocator_cache_reuses_buffers) {
  allocator::clear_cache();
  void* p = allocator::malloc(1000);
  allocator::free(p);
  CHECK(allocator::cache_memory() >= 1000);
  void* q = allocator::malloc(900);
  CHECK(q == p);
  allocator::free(q);
  allocator::clear_cache();
  CHECK_EQ(allocator::cache_memory(), size_t(0));
}

TEST(allocator_never_caches_zero_size_buffers) {
  allocator::clear_cache();
  for (int i = 0; i < 10; i++) allocator::free(allocator::malloc(0));
  CHECK_EQ(allocator::cached_buffers(), size_t(0));
  { array empty = zeros({0, 3}, Dtype::float32); eval(empty); }
  // Whatever else that cached (the fill scalar) has bytes, so clear_cache frees it all.
  allocator::clear_cache();
  CHECK_EQ(allocator::cached_buffers(), size_t(0));
}

TEST(huge_shapes_are_errors_not_wrapped_sizes) {
  // 2^31 x 2^31 elements: more than any 64-bit size_t / 8 on 32-bit, and a clear error.
  CHECK_THROWS(zeros({65536, 65536, 65536, 65536}, Dtype::float32), "[array] An array of shape");
  // A shape with a 0 is just empty, however large the other axes.
  CHECK_EQ(zeros({0, 2147483647, 2147483647}, Dtype::float32).size(), size_t(0));
  // Too big for the memory limit: a [malloc] error when evaluated.
  CHECK_THROWS(eval(add(zeros({100000, 100000}, Dtype::float32), array::scalar(1, Dtype::float32))), "[malloc]");
}

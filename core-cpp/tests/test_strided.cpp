// Unit tests of the strided-view family: as_strided shares the input's buffer with its own
// strides and offset (overlapping windows, negative strides, a strided input), refuses views
// that reach outside the input, and its vjp adds a cotangent once per read; contiguous
// shares a dense input and copies anything else into row order.
#include "check.h"
#include "ops.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

std::vector<double> values_of(const array& a) {
  array d = astype(a, Dtype::float64);
  eval(d);
  array c = d.converted(Dtype::float64);  // row order
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

}  // namespace

TEST(as_strided_windows_offsets_and_negative_strides) {
  array a = arange(0, 10, 1, Dtype::float32);
  // Overlapping windows of 3 with step 2, from element 1: rows 1..3, 3..5, 5..7.
  array w = as_strided(a, {3, 3}, {2, 1}, 1);
  CHECK(values_of(w) == std::vector<double>({1, 2, 3, 3, 4, 5, 5, 6, 7}));
  array r = as_strided(a, {4}, {-2}, 9);
  CHECK(values_of(r) == std::vector<double>({9, 7, 5, 3}));
  // A transposed input is read in row order: t = [[0, 2, 4], [1, 3, 5]].
  array t = transpose(reshape(arange(0, 6, 1, Dtype::int32), {3, 2}), std::vector<int>{1, 0});
  CHECK(values_of(as_strided(t, {2, 2}, {1, 3}, 0)) == std::vector<double>({0, 1, 2, 3}));
  CHECK(values_of(as_strided(a, {0, 5}, {100, 100}, 50)).empty());
}

TEST(as_strided_rejects_views_outside_the_input) {
  array a = arange(0, 6, 1, Dtype::float32);
  CHECK_THROWS(as_strided(a, {3}, {2}, 2), "[as_strided]");
  CHECK_THROWS(as_strided(a, {2}, {-1}, 0), "[as_strided]");
  CHECK_THROWS(as_strided(a, {2, 2}, {1}, 0), "[as_strided]");
  CHECK_THROWS(as_strided(a, {2}, {1}, -1), "[as_strided]");
}

TEST(as_strided_vjp_adds_once_per_read) {
  array x = arange(0, 5, 1, Dtype::float32);
  auto [outs, grads] = vjp([](const std::vector<array>& in) { return std::vector<array>{as_strided(in[0], {2, 3}, {1, 1}, 1)}; },
                           {x}, {ones({2, 3}, Dtype::float32)});
  // Windows [1, 2, 3] and [2, 3, 4]: elements 2 and 3 are read twice.
  CHECK(values_of(grads[0]) == std::vector<double>({0, 1, 2, 2, 1}));
}

TEST(contiguous_shares_dense_inputs_and_copies_others) {
  array a = reshape(arange(0, 6, 1, Dtype::float32), {2, 3});
  array c = contiguous(a);
  eval(c);
  CHECK(c.flags().row_contiguous);
  array t = transpose(a, std::vector<int>{1, 0});
  array ct = contiguous(t);
  eval(ct);
  CHECK(ct.flags().row_contiguous);
  CHECK(values_of(ct) == std::vector<double>({0, 3, 1, 4, 2, 5}));
  array cc = contiguous(t, true);
  eval(cc);
  CHECK(cc.flags().col_contiguous && !cc.flags().row_contiguous);
  array b = contiguous(broadcast_to(array::from_vector<float>({1, 2}, {2, 1}), {2, 3}));
  eval(b);
  CHECK(b.flags().row_contiguous && b.strides() == Strides({3, 1}));
  CHECK(values_of(b) == std::vector<double>({1, 1, 1, 2, 2, 2}));
}

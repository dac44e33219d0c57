// Unit tests of the shape family's concatenate kernel: each input lands in its region of
// the output whatever the axis, the input layouts and dtypes.
#include "check.h"
#include "ops.h"
#include "ops/shape.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

std::vector<double> as_doubles(const array& a) {
  array d = astype(a, Dtype::float64);
  eval(d);
  array c = d.converted(Dtype::float64);  // row order
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

}  // namespace

TEST(concatenate_middle_axis_strided_and_mixed_dtypes) {
  // a: 2x1x2 int8; b: 2x2x2 float32 built as a transpose (strided); c: 2x0x2 (skipped).
  array a = array::from_vector<int8_t>({1, 2, 3, 4}, {2, 1, 2});
  array b = transpose(array::from_vector<float>({10, 11, 12, 13, 14, 15, 16, 17}, {2, 2, 2}), std::vector<int>{2, 1, 0});
  array c = zeros({2, 0, 2}, Dtype::int32);
  array y = concatenate({a, c, b}, 1);
  CHECK(y.dtype() == Dtype::float32);
  CHECK(y.shape() == Shape({2, 3, 2}));
  // b[i][j][k] = 10 + 4k + 2j + i.
  std::vector<double> want{1, 2, 10, 14, 12, 16, 3, 4, 11, 15, 13, 17};
  CHECK(as_doubles(y) == want);
}

TEST(concatenate_last_axis_of_broadcast_input) {
  array a = broadcast_to(array::from_vector<float>({1, 2}, {2, 1}), {2, 3});
  array b = array::from_vector<float>({7, 8}, {2, 1});
  std::vector<double> want{1, 1, 1, 7, 2, 2, 2, 8};
  CHECK(as_doubles(concatenate({a, b}, -1)) == want);
}

TEST(flip_jvp_reaches_the_first_element) {
  array x = array::from_vector<float>({1, 2, 3}, {3});
  auto [outs, tans] = jvp([](const std::vector<array>& in) { return std::vector<array>{flip(in[0])}; }, {x},
                          {array::from_vector<float>({1, 0, 0}, {3})});
  CHECK(tans[0].shape() == Shape({3}));
  std::vector<double> want{0, 0, 1};
  CHECK(as_doubles(tans[0]) == want);
}

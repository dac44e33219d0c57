// Unit tests of the reduce family's kernels where the layout logic is subtle: scans and arg
// reductions on strided views, exclusive/reverse scans, integer identities, NaN handling.
#include <cmath>
#include <limits>

#include "array_values.h"
#include "check.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/reduce.h"
#include "transforms/eval_grad.h"

using namespace mlx;

TEST(scan_on_transposed_view_exclusive_reverse) {
  // x = [[0,1,2],[3,4,5]]; x.T = [[0,3],[1,4],[2,5]]; reverse exclusive cumsum along axis 0.
  array x = reshape(arange(0, 6, 1, Dtype::float32), {2, 3});
  auto v = values_of<float>(cumsum(transpose(x), 0, true, false));
  CHECK((v == std::vector<double>{3, 9, 2, 5, 0, 0}));
}

TEST(exclusive_integer_scans_start_from_the_identity) {
  array x = array::from_vector<int8_t>({5, -3, 7}, {3});
  auto mx = values_of<int8_t>(cummax(x, 0, false, false));
  CHECK(mx[0] == std::numeric_limits<int8_t>::lowest());
  CHECK(mx[1] == 5 && mx[2] == 5);
  auto mn = values_of<int8_t>(cummin(x, 0, true, false));
  CHECK(mn[2] == std::numeric_limits<int8_t>::max());
  CHECK(mn[1] == 7 && mn[0] == -3);
}

TEST(arg_reduce_strided_first_nan_and_ties) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  array x = array::from_vector<float>({1, 9, nan, 9, nan, 0}, {3, 2});
  // Columns of x: [1, nan, nan] and [9, 9, 0]; argmax along axis 0 of the transposed view's axis 1.
  auto v = values_of<uint32_t>(argmax(transpose(x), 1));
  CHECK((v == std::vector<double>{1, 0}));
  auto w = values_of<uint32_t>(argmin(x, 1));
  // Rows [1, 9], [nan, 9], [nan, 0]: a NaN wins; otherwise the first minimum.
  CHECK((w == std::vector<double>{0, 0, 0}));
  auto u = values_of<uint32_t>(argmin(array::from_vector<float>({3, 1, nan, 1}, {4}), 0));
  CHECK(u[0] == 2);
}

TEST(prod_of_small_ints_accumulates_wider) {
  array x = array::from_vector<uint8_t>({200, 200, 2}, {3});
  array p = prod(x);
  CHECK(p.dtype() == Dtype::uint32);
  CHECK(values_of<uint32_t>(p)[0] == 80000);
  CHECK(all(array::from_vector<float>({}, {0})).dtype() == Dtype::bool_);
  CHECK(values_of<bool>(any(array::from_vector<float>({}, {0, 2}), std::vector<int>{0}, true)).size() == 2);
}

// Unit tests of the gather/scatter kernels where they are subtle: slices wider than one
// element on an indexed axis, unsigned indices too large for int64, and bounds checks
// that run before anything is written.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "check.h"
#include "ops.h"
#include "ops/indexing.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

std::vector<double> as_doubles(const array& a) {
  array c = astype(a, Dtype::float64);
  eval({c});
  array r = c.converted(Dtype::float64);
  std::vector<double> v;
  for (size_t i = 0; i < r.size(); ++i) v.push_back(r.data<double>()[i]);
  return v;
}

std::string error_of(const array& a) {
  try {
    eval({a});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(gather_reads_wide_slices_on_indexed_axes) {
  array a = reshape(arange(0, 12, 1, Dtype::float32), {3, 4});
  // Rows 2 and 0, columns [1, 3) of each: slice sizes {1, 2} starting at column 1.
  array rows = array::from_vector<int64_t>({2, 0}, {2});
  array cols = array::from_vector<int64_t>({1, 1}, {2});
  array g = gather(a, {rows, cols}, {0, 1}, {1, 2});
  CHECK(g.shape() == Shape({2, 1, 2}));
  CHECK(as_doubles(g) == std::vector<double>({9, 10, 1, 2}));
  // A start whose slice would run past the end is out of bounds even though the index is valid.
  array late = array::from_vector<int32_t>({3}, {1});
  std::string msg = error_of(gather(a, {late}, {1}, {3, 2}, "take"));
  CHECK(msg.find("[take] Index 3 is out of bounds for axis 1 with size 4") == 0);
}

TEST(unsigned_indices_beyond_int64_are_errors) {
  array a = arange(0, 4, 1, Dtype::float32);
  array huge = array::from_vector<uint64_t>({uint64_t(1) << 63}, {1});
  CHECK(error_of(take(a, huge)).find("[take] Index") == 0);
}

TEST(scatter_checks_indices_before_writing) {
  array src = array::from_vector<float>({1, 2, 3}, {3});
  array idx = array::from_vector<int8_t>({0, 5}, {2});
  array upd = array::from_vector<float>({9, 9}, {2, 1});
  CHECK(error_of(scatter_add(src, {idx}, upd, {0})).find("[scatter_add] Index 5") == 0);
  CHECK(as_doubles(src) == std::vector<double>({1, 2, 3}));
  array ok = scatter_add(src, {array::from_vector<int8_t>({-1, -1}, {2})}, upd, {0});
  CHECK(as_doubles(ok) == std::vector<double>({1, 2, 21}));
}

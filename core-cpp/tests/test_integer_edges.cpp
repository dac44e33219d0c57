// Integer edges with one defined result on every backend: +, -, *, negation, sums and
// products of integers wrap as two's complement (no signed-overflow UB: the sanitizer build,
// npm run test:sanitize, runs these), and float -> integer conversion saturates with NaN -> 0.
#include <cmath>
#include <cstdint>
#include <limits>

#include "check.h"
#include "backend/cpu/dispatch.h"
#include "backend/cpu/elementwise_ops.h"
#include "backend/cpu/reducers.h"

using namespace mlx;

namespace {
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
}  // namespace

TEST(integer_arithmetic_wraps_as_twos_complement) {
  CHECK(ew::Add{}(kI32Max, int32_t(1)) == kI32Min);
  CHECK(ew::Subtract{}(kI32Min, int32_t(1)) == kI32Max);
  CHECK(ew::Multiply{}(int32_t(65536), int32_t(65536)) == 0);
  CHECK(ew::Multiply{}(int32_t(46341), int32_t(46341)) == int32_t(int64_t(46341) * 46341 - (int64_t(1) << 32)));
  CHECK(ew::Add{}(kI64Max, int64_t(1)) == kI64Min);
  CHECK(ew::Multiply{}(kI64Max, int64_t(2)) == int64_t(-2));
  CHECK(ew::Negative{}(kI32Min) == kI32Min);
  CHECK(ew::Negative{}(kI64Min) == kI64Min);
  // uint16 * uint16 promotes to int in C++: 65535 * 65535 would overflow it.
  CHECK(ew::Multiply{}(uint16_t(65535), uint16_t(65535)) == uint16_t(1));
  CHECK(ew::Add{}(uint32_t(0xffffffffu), uint32_t(2)) == 1u);
  CHECK(ew::Add{}(int8_t(127), int8_t(1)) == int8_t(-128));
}

TEST(integer_sums_and_products_wrap) {
  int32_t s = SumReducer<int32_t>::init();
  for (int i = 0; i < 3; ++i) s = SumReducer<int32_t>::combine(s, kI32Max);
  CHECK(s == int32_t(int64_t(3) * kI32Max - (int64_t(1) << 32)));  // 3 * (2^31 - 1) mod 2^32
  int64_t p = ProdReducer<int64_t>::init();
  for (int i = 0; i < 64; ++i) p = ProdReducer<int64_t>::combine(p, int64_t(2));
  CHECK(p == 0);  // 2^64 mod 2^64
  CHECK(ProdReducer<uint16_t>::combine(uint16_t(256), uint16_t(256)) == 0);
}

TEST(float_to_int_saturates_and_maps_nan_to_zero) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(convert<int32_t>(nan) == 0);
  CHECK(convert<int32_t>(inf) == kI32Max);
  CHECK(convert<int32_t>(-inf) == kI32Min);
  CHECK(convert<int32_t>(1e10f) == kI32Max);
  CHECK(convert<int32_t>(-1e10f) == kI32Min);
  CHECK(convert<int32_t>(-2.9f) == -2);  // toward zero
  CHECK(convert<int32_t>(2147483520.0f) == 2147483520);  // the largest float below 2^31 fits
  CHECK(convert<int32_t>(2147483648.0f) == kI32Max);
  CHECK(convert<int32_t>(2147483647.0) == kI32Max);
  CHECK(convert<int32_t>(2147483646.75) == 2147483646);
  CHECK(convert<int8_t>(300.0f) == 127);
  CHECK(convert<int8_t>(-300.0f) == -128);
  CHECK(convert<uint8_t>(-1.0f) == 0);
  CHECK(convert<uint8_t>(-0.5f) == 0);
  CHECK(convert<uint8_t>(255.9f) == 255);
  CHECK(convert<uint8_t>(256.0f) == 255);
  CHECK(convert<int64_t>(9.3e18) == kI64Max);
  CHECK(convert<int64_t>(-9.3e18) == kI64Min);
  CHECK(convert<int64_t>(9.2e18) == int64_t(9.2e18));
  CHECK(convert<uint64_t>(2e19) == std::numeric_limits<uint64_t>::max());
  CHECK(convert<uint64_t>(1.8e19) == uint64_t(1.8e19));
  CHECK(convert<uint64_t>(std::nan("")) == 0u);
  CHECK(convert<int16_t>(float16_t(nan)) == 0);
  CHECK(convert<int16_t>(float16_t(inf)) == 32767);
  CHECK(convert<int32_t>(bfloat16_t(-inf)) == kI32Min);
  // bool is not an integer here: any non-zero (and NaN) is true, as C++ and MLX convert it.
  CHECK(convert<bool>(nan) == true);
  CHECK(convert<bool>(0.0f) == false);
}

// The integer functors of the element-wise family checked exhaustively on 8-bit operands
// against reference formulas computed in int64 (the same code serves every width), plus
// the extremes of the wide types, where a plain C++ expression would trap or be undefined.
#include <cstdint>
#include <limits>

#include "check.h"
#include "backend/cpu/elementwise_ops.h"

using namespace mlx;

namespace {

int64_t floor_div_ref(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

template <typename T>
T wrap(int64_t v) {
  return static_cast<T>(static_cast<uint64_t>(v));
}

}  // namespace

TEST(int8_floor_divide_and_remainder_match_floor_semantics) {
  for (int a = -128; a < 128; ++a) {
    for (int b = -128; b < 128; ++b) {
      int8_t q = ew::FloorDivide{}(int8_t(a), int8_t(b));
      int8_t r = ew::Remainder{}(int8_t(a), int8_t(b));
      if (b == 0) {
        CHECK(q == 0 && r == 0);
        continue;
      }
      CHECK(q == wrap<int8_t>(floor_div_ref(a, b)));  // -128 // -1 wraps to -128
      CHECK(r == a - b * floor_div_ref(a, b));
    }
  }
}

TEST(uint8_division_power_and_shifts) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      uint8_t q = ew::FloorDivide{}(uint8_t(a), uint8_t(b));
      uint8_t r = ew::Remainder{}(uint8_t(a), uint8_t(b));
      CHECK(q == (b ? a / b : 0));
      CHECK(r == (b ? a % b : 0));
      uint8_t l = ew::LeftShift{}(uint8_t(a), uint8_t(b));
      uint8_t s = ew::RightShift{}(uint8_t(a), uint8_t(b));
      CHECK(l == (b < 8 ? uint8_t(a << b) : 0));
      CHECK(s == (b < 8 ? (a >> b) : 0));
    }
  }
}

TEST(int8_power_wraps_and_defines_negative_exponents) {
  for (int a = -128; a < 128; ++a) {
    for (int e = -3; e < 12; ++e) {
      int8_t p = ew::Power{}(int8_t(a), int8_t(e));
      if (e < 0) {
        int8_t want = a == 1 ? 1 : a == -1 ? ((-e) % 2 ? -1 : 1) : 0;
        CHECK(p == want);
        continue;
      }
      uint64_t ref = 1;
      for (int k = 0; k < e; ++k) ref *= static_cast<uint64_t>(int64_t(a));
      CHECK(p == static_cast<int8_t>(ref));
    }
  }
}

TEST(int8_shifts_define_out_of_range_counts) {
  for (int a = -128; a < 128; ++a) {
    for (int b = -10; b < 20; ++b) {
      int8_t l = ew::LeftShift{}(int8_t(a), int8_t(b));
      int8_t r = ew::RightShift{}(int8_t(a), int8_t(b));
      bool in = b >= 0 && b < 8;
      CHECK(l == (in ? wrap<int8_t>(int64_t(a) * (int64_t(1) << b)) : 0));
      CHECK(r == (in ? int8_t(a >> b) : (a < 0 ? -1 : 0)));
    }
  }
}

TEST(wide_integer_extremes_do_not_trap) {
  const int32_t imin = std::numeric_limits<int32_t>::min();
  const int64_t lmin = std::numeric_limits<int64_t>::min();
  CHECK(ew::FloorDivide{}(imin, int32_t(-1)) == imin);
  CHECK(ew::Remainder{}(imin, int32_t(-1)) == 0);
  CHECK(ew::FloorDivide{}(lmin, int64_t(-1)) == lmin);
  CHECK(ew::Remainder{}(lmin, int64_t(-1)) == 0);
  CHECK(ew::FloorDivide{}(lmin, int64_t(0)) == 0);
  CHECK(ew::Abs{}(imin) == imin);
  CHECK(ew::Square{}(int32_t(1 << 16)) == 0);
  CHECK(ew::Power{}(int64_t(3), int64_t(40)) == int64_t(12157665459056928801ull));
  CHECK(ew::LeftShift{}(int64_t(-1), int64_t(63)) == lmin);
  CHECK(ew::RightShift{}(lmin, int64_t(64)) == -1);
  CHECK(ew::RightShift{}(uint64_t(1) << 63, uint64_t(63)) == 1);
  CHECK(ew::LeftShift{}(uint16_t(0xffff), uint16_t(15)) == 0x8000);
}

TEST(float_division_family_follows_numpy) {
  CHECK(ew::Remainder{}(-1.0, 3.0) == 2.0);
  CHECK(ew::Remainder{}(1.0, -3.0) == -2.0);
  CHECK(std::signbit(ew::Remainder{}(3.0, -3.0)));  // zero takes the divisor's sign
  CHECK(std::isnan(ew::Remainder{}(1.0, 0.0)));
  CHECK(ew::Remainder{}(-1.0, std::numeric_limits<double>::infinity()) == std::numeric_limits<double>::infinity());
  CHECK(ew::FloorDivide{}(-7.0f, 2.0f) == -4.0f);
  CHECK(std::isnan(ew::Maximum{}(std::nan(""), 1.0)) && std::isnan(ew::Minimum{}(1.0, std::nan(""))));
  CHECK(ew::ErfInv{}(std::erf(0.3)) - 0.3 < 1e-15 && ew::ErfInv{}(std::erf(0.3)) - 0.3 > -1e-15);
  CHECK(std::abs(ew::ErfInv{}(std::erf(-2.5)) + 2.5) < 1e-13);
}

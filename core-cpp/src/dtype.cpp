#include "dtype.h"

namespace mlx {

namespace {

using D = Dtype;
constexpr D b_ = D::bool_, u8 = D::uint8, u16 = D::uint16, u32 = D::uint32, u64 = D::uint64,
            i8 = D::int8, i16 = D::int16, i32 = D::int32, i64 = D::int64, f16 = D::float16,
            f32 = D::float32, f64 = D::float64, bf = D::bfloat16, c64 = D::complex64;

// Rows and columns in Dtype order.
// clang-format off
constexpr D promotion[num_dtypes][num_dtypes] = {
  //        bool u8   u16  u32  u64  i8   i16  i32  i64  f16  f32  f64  bf16 c64
  /*bool*/ {b_,  u8,  u16, u32, u64, i8,  i16, i32, i64, f16, f32, f64, bf, c64},
  /*u8  */ {u8,  u8,  u16, u32, u64, i16, i16, i32, i64, f16, f32, f64, bf, c64},
  /*u16 */ {u16, u16, u16, u32, u64, i32, i32, i32, i64, f16, f32, f64, bf, c64},
  /*u32 */ {u32, u32, u32, u32, u64, i64, i64, i64, i64, f16, f32, f64, bf, c64},
  /*u64 */ {u64, u64, u64, u64, u64, f32, f32, f32, f32, f16, f32, f64, bf, c64},
  /*i8  */ {i8,  i16, i32, i64, f32, i8,  i16, i32, i64, f16, f32, f64, bf, c64},
  /*i16 */ {i16, i16, i32, i64, f32, i16, i16, i32, i64, f16, f32, f64, bf, c64},
  /*i32 */ {i32, i32, i32, i64, f32, i32, i32, i32, i64, f16, f32, f64, bf, c64},
  /*i64 */ {i64, i64, i64, i64, f32, i64, i64, i64, i64, f16, f32, f64, bf, c64},
  /*f16 */ {f16, f16, f16, f16, f16, f16, f16, f16, f16, f16, f32, f64, f32, c64},
  /*f32 */ {f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f64, f32, c64},
  /*f64 */ {f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, c64},
  /*bf16*/ {bf,  bf,  bf,  bf,  bf,  bf,  bf,  bf,  bf,  f32, f32, f64, bf, c64},
  /*c64 */ {c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64},
};
// clang-format on

constexpr uint8_t sizes[num_dtypes] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 2, 8};
constexpr const char* names[num_dtypes] = {"bool",  "uint8",   "uint16",  "uint32", "uint64",
                                           "int8",  "int16",   "int32",   "int64",  "float16",
                                           "float32", "float64", "bfloat16", "complex64"};

}  // namespace

size_t size_of(Dtype t) { return sizes[static_cast<int>(t)]; }
const char* dtype_name(Dtype t) { return names[static_cast<int>(t)]; }
bool is_valid_dtype(int code) { return code >= 0 && code < num_dtypes; }

bool is_floating(Dtype t) {
  return t == D::float16 || t == D::float32 || t == D::float64 || t == D::bfloat16;
}
bool is_unsigned(Dtype t) {
  return t == D::uint8 || t == D::uint16 || t == D::uint32 || t == D::uint64;
}
bool is_integral(Dtype t) { return !is_floating(t) && t != D::bool_ && t != D::complex64; }

Dtype promote_types(Dtype a, Dtype b) {
  return promotion[static_cast<int>(a)][static_cast<int>(b)];
}

Dtype accumulation_dtype(Dtype t) {
  switch (t) {
    case D::bool_:
    case D::int8:
    case D::int16:
      return D::int32;
    case D::uint8:
    case D::uint16:
      return D::uint32;
    default:
      return t;
  }
}

Dtype to_floating(Dtype t) { return is_inexact(t) ? t : D::float32; }

}  // namespace mlx

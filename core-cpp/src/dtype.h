// Dtypes: MLX's list, sizes, kinds and the promotion table.
#pragma once

#include <cstdint>
#include <string>

#include "complex_type.h"
#include "half_types.h"

namespace mlx {

// Values match mlxc_dtype in include/mlxc.h.
enum class Dtype : uint8_t {
  bool_ = 0,
  uint8,
  uint16,
  uint32,
  uint64,
  int8,
  int16,
  int32,
  int64,
  float16,
  float32,
  float64,
  bfloat16,
  complex64,
};
constexpr int num_dtypes = 14;

size_t size_of(Dtype t);
const char* dtype_name(Dtype t);
bool is_valid_dtype(int code);

bool is_floating(Dtype t);  // float16, bfloat16, float32, float64
bool is_integral(Dtype t);  // signed or unsigned integers (not bool)
inline bool is_complex(Dtype t) { return t == Dtype::complex64; }
// Floating or complex (MLX's `inexact`).
inline bool is_inexact(Dtype t) { return is_floating(t) || is_complex(t); }
bool is_unsigned(Dtype t);
inline bool is_bool(Dtype t) { return t == Dtype::bool_; }

// MLX's promotion (JAX's lattice, plus float64 above every other real type; complex64
// above everything, float64 included, as MLX).
Dtype promote_types(Dtype a, Dtype b);

// The dtype a reduction that accumulates (sum, prod) produces, as MLX does:
// bool and small signed ints -> int32, small unsigned ints -> uint32, others unchanged.
Dtype accumulation_dtype(Dtype t);

// The inexact dtype an op that needs floats (exp, divide, mean, ...) computes in (MLX's
// at_least_float): floating types and complex64 stay, everything else becomes float32.
Dtype to_floating(Dtype t);

template <typename T>
struct dtype_of;
#define MLX_DTYPE_OF(T, D) \
  template <>              \
  struct dtype_of<T> {     \
    static constexpr Dtype value = Dtype::D; \
  };
MLX_DTYPE_OF(bool, bool_)
MLX_DTYPE_OF(uint8_t, uint8)
MLX_DTYPE_OF(uint16_t, uint16)
MLX_DTYPE_OF(uint32_t, uint32)
MLX_DTYPE_OF(uint64_t, uint64)
MLX_DTYPE_OF(int8_t, int8)
MLX_DTYPE_OF(int16_t, int16)
MLX_DTYPE_OF(int32_t, int32)
MLX_DTYPE_OF(int64_t, int64)
MLX_DTYPE_OF(float16_t, float16)
MLX_DTYPE_OF(float, float32)
MLX_DTYPE_OF(double, float64)
MLX_DTYPE_OF(bfloat16_t, bfloat16)
MLX_DTYPE_OF(complex64_t, complex64)
#undef MLX_DTYPE_OF

}  // namespace mlx

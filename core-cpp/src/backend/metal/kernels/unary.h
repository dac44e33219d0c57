// Element-wise unary ops and copies/casts over any strided input (broadcast, transposed,
// sliced); the output is row-contiguous. One thread per output element, 1-D grid.
// A kernel <mlx_name>_<dtype> serves the op marked `metal` in elementwise_table.h (the
// emulation test checks every such op has one).

struct UAbs { template <typename T> T operator()(T x) const { return x < T(0) ? T(-x) : x; } };
struct UNeg { template <typename T> T operator()(T x) const { return T(-x); } };
struct USquare { template <typename T> T operator()(T x) const { return T(x * x); } };
struct UIdentity { template <typename T> T operator()(T x) const { return x; } };
// Floating ops compute in float (half inputs are widened, as the CPU kernels do).
struct UExp { template <typename T> T operator()(T x) const { return T(metal::exp(float(x))); } };
struct ULog { template <typename T> T operator()(T x) const { return T(metal::log(float(x))); } };
struct USqrt { template <typename T> T operator()(T x) const { return T(metal::sqrt(float(x))); } };
struct URsqrt { template <typename T> T operator()(T x) const { return T(metal::rsqrt(float(x))); } };
struct USin { template <typename T> T operator()(T x) const { return T(metal::sin(float(x))); } };
struct UCos { template <typename T> T operator()(T x) const { return T(metal::cos(float(x))); } };
struct UTanh { template <typename T> T operator()(T x) const { return T(metal::tanh(float(x))); } };
struct USigmoid {
  template <typename T>
  T operator()(T x) const { return T(1.0f / (1.0f + metal::exp(-float(x)))); }
};
struct UFloor { template <typename T> T operator()(T x) const { return T(metal::floor(float(x))); } };
struct UCeil { template <typename T> T operator()(T x) const { return T(metal::ceil(float(x))); } };

// out[i] = Op(in[loc(i)]) converted to U (Op = UIdentity with T != U is a cast).
template <typename T, typename U, typename Op>
[[kernel]] void unary_g(device const T* in [[buffer(0)]], device U* out [[buffer(1)]],
                        constant Layout& l [[buffer(2)]], constant uint& n [[buffer(3)]],
                        uint gid [[thread_position_in_grid]]) {
  if (gid >= n) return;
  out[gid] = static_cast<U>(Op()(in[elem_to_loc(gid, l)]));
}

INSTANTIATE(abs_float32, unary_g, float, float, UAbs)
INSTANTIATE(negative_float32, unary_g, float, float, UNeg)
INSTANTIATE(square_float32, unary_g, float, float, USquare)
INSTANTIATE(exp_float32, unary_g, float, float, UExp)
INSTANTIATE(log_float32, unary_g, float, float, ULog)
INSTANTIATE(sqrt_float32, unary_g, float, float, USqrt)
INSTANTIATE(rsqrt_float32, unary_g, float, float, URsqrt)
INSTANTIATE(sin_float32, unary_g, float, float, USin)
INSTANTIATE(cos_float32, unary_g, float, float, UCos)
INSTANTIATE(tanh_float32, unary_g, float, float, UTanh)
INSTANTIATE(sigmoid_float32, unary_g, float, float, USigmoid)
INSTANTIATE(floor_float32, unary_g, float, float, UFloor)
INSTANTIATE(ceil_float32, unary_g, float, float, UCeil)
INSTANTIATE(abs_float16, unary_g, half, half, UAbs)
INSTANTIATE(negative_float16, unary_g, half, half, UNeg)
INSTANTIATE(exp_float16, unary_g, half, half, UExp)
INSTANTIATE(log_float16, unary_g, half, half, ULog)
INSTANTIATE(sqrt_float16, unary_g, half, half, USqrt)
INSTANTIATE(tanh_float16, unary_g, half, half, UTanh)
INSTANTIATE(sigmoid_float16, unary_g, half, half, USigmoid)
INSTANTIATE(abs_int32, unary_g, int, int, UAbs)
INSTANTIATE(negative_int32, unary_g, int, int, UNeg)
INSTANTIATE(square_int32, unary_g, int, int, USquare)
// copies (T -> T) and casts
INSTANTIATE(copy_float32, unary_g, float, float, UIdentity)
INSTANTIATE(copy_float16, unary_g, half, half, UIdentity)
INSTANTIATE(copy_int32, unary_g, int, int, UIdentity)
INSTANTIATE(copy_uint8, unary_g, uchar, uchar, UIdentity)
INSTANTIATE(cast_float32_float16, unary_g, float, half, UIdentity)
INSTANTIATE(cast_float16_float32, unary_g, half, float, UIdentity)
INSTANTIATE(cast_int32_float32, unary_g, int, float, UIdentity)
INSTANTIATE(cast_float32_int32, unary_g, float, int, UIdentity)
INSTANTIATE(cast_bool_float32, unary_g, bool, float, UIdentity)

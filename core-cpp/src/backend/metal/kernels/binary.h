// Element-wise binary ops with broadcasting: both inputs are read through their own
// strides over the output's shape (stride 0 on broadcast axes); the output is
// row-contiguous. One thread per output element, 1-D grid. A kernel <mlx_name>_<dtype>
// serves the op marked `metal` in elementwise_table.h (the emulation test checks every
// such op has one).

struct BAdd { template <typename T> T operator()(T a, T b) const { return T(a + b); } };
struct BSub { template <typename T> T operator()(T a, T b) const { return T(a - b); } };
struct BMul { template <typename T> T operator()(T a, T b) const { return T(a * b); } };
struct BDiv { template <typename T> T operator()(T a, T b) const { return T(a / b); } };
// NaN propagates through maximum/minimum (as in the CPU kernels and NumPy).
struct BMax {
  template <typename T>
  T operator()(T a, T b) const { return (a != a) ? a : (b != b) ? b : (a > b ? a : b); }
};
struct BMin {
  template <typename T>
  T operator()(T a, T b) const { return (a != a) ? a : (b != b) ? b : (a < b ? a : b); }
};
struct BPow {
  template <typename T>
  T operator()(T a, T b) const { return T(metal::pow(float(a), float(b))); }
};
// Comparisons write bool.
struct BLess { template <typename T> bool operator()(T a, T b) const { return a < b; } };
struct BEqual { template <typename T> bool operator()(T a, T b) const { return a == b; } };

template <typename T, typename U, typename Op>
[[kernel]] void binary_g(device const T* a [[buffer(0)]], device const T* b [[buffer(1)]],
                         device U* out [[buffer(2)]], constant Layout& la [[buffer(3)]],
                         constant Layout& lb [[buffer(4)]], constant uint& n [[buffer(5)]],
                         uint gid [[thread_position_in_grid]]) {
  if (gid >= n) return;
  out[gid] = static_cast<U>(Op()(a[elem_to_loc(gid, la)], b[elem_to_loc(gid, lb)]));
}

INSTANTIATE(add_float32, binary_g, float, float, BAdd)
INSTANTIATE(subtract_float32, binary_g, float, float, BSub)
INSTANTIATE(multiply_float32, binary_g, float, float, BMul)
INSTANTIATE(divide_float32, binary_g, float, float, BDiv)
INSTANTIATE(maximum_float32, binary_g, float, float, BMax)
INSTANTIATE(minimum_float32, binary_g, float, float, BMin)
INSTANTIATE(power_float32, binary_g, float, float, BPow)
INSTANTIATE(less_float32, binary_g, float, bool, BLess)
INSTANTIATE(equal_float32, binary_g, float, bool, BEqual)
INSTANTIATE(add_float16, binary_g, half, half, BAdd)
INSTANTIATE(multiply_float16, binary_g, half, half, BMul)
INSTANTIATE(add_int32, binary_g, int, int, BAdd)
INSTANTIATE(subtract_int32, binary_g, int, int, BSub)
INSTANTIATE(multiply_int32, binary_g, int, int, BMul)
INSTANTIATE(maximum_int32, binary_g, int, int, BMax)
INSTANTIATE(less_int32, binary_g, int, bool, BLess)

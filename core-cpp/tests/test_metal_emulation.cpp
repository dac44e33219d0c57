// The Metal kernels (src/metal/kernels/*.h, MSL) compiled as C++ through the shim
// (src/metal/shim/metal_shim.h) and run over their grids by the emulator (threadgroups in
// turn, the threads of a group as coroutines with real barriers), each output compared
// with the core's CPU kernels on the same inputs: several dtypes, transposed and
// broadcast strides, sizes that are not multiples of the threadgroup or tile size.
#include <cstdio>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "check.h"
#include "elementwise_table.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "ops/fast.h"
#include "ops/reduce.h"
#include "ops/shape.h"
#include "transforms/eval_grad.h"

// After the core's headers: the shim's macros (device, constant, threadgroup, ...) must
// not reach them.
#include "../src/backend/metal/shim/metal_shim.h"

// The kernel names the MSL instantiates (the shim's INSTANTIATE is a no-op; here each
// records its name), so the test can check them against elementwise_table.h.
namespace msl_names {
std::set<std::string>& all() {
  static std::set<std::string> s;
  return s;
}
bool add(const char* name) { return all().insert(name).second; }
}  // namespace msl_names
#undef INSTANTIATE
#define INSTANTIATE(NAME, ...) static const bool msl_instantiated_##NAME = msl_names::add(#NAME);
// clang-format off
#include "../src/backend/metal/kernels/params.h"
#include "../src/backend/metal/kernels/common.h"
#include "../src/backend/metal/kernels/unary.h"
#include "../src/backend/metal/kernels/binary.h"
#include "../src/backend/metal/kernels/ternary.h"
#include "../src/backend/metal/kernels/reduce.h"
#include "../src/backend/metal/kernels/softmax.h"
#include "../src/backend/metal/kernels/matmul.h"
#include "../src/backend/metal/kernels/fast.h"
// clang-format on

namespace {

using mlx::array;
using mlx::Dtype;
using metal_emu::Thread;

int g_kernels = 0;      // kernel runs compared
size_t g_rounds = 0;    // barrier rounds the emulator ran (the barriers were exercised)

// Deterministic inputs in [lo, hi).
array input(mlx::Shape shape, Dtype dtype, double lo, double hi, uint32_t seed) {
  size_t n = 1;
  for (int d : shape) n *= size_t(d);
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 12345u;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = float(lo + (hi - lo) * double(s >> 8) / double(1u << 24));
  }
  return array::from_vector<float>(v, shape, dtype);
}

std::vector<double> values(const array& a_in) {
  array a = a_in;
  mlx::eval(a);
  array c = a.converted(a.dtype());
  std::vector<double> v(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    switch (c.dtype()) {
      case Dtype::float32: v[i] = c.data<float>()[i]; break;
      case Dtype::float16: v[i] = float(c.data<half>()[i]); break;
      case Dtype::int32: v[i] = c.data<int32_t>()[i]; break;
      case Dtype::bool_: v[i] = c.data<bool>()[i] ? 1 : 0; break;
      default: throw std::invalid_argument("[test] unexpected dtype");
    }
  }
  return v;
}

template <typename U>
std::vector<double> to_double(const std::vector<U>& xs) {
  std::vector<double> v;
  for (const U& x : xs) v.push_back(double(float(x)));
  return v;
}
template <>
std::vector<double> to_double(const std::vector<int>& xs) {
  return std::vector<double>(xs.begin(), xs.end());
}

// |got - want| <= atol + rtol * |want| element-wise; NaN matches NaN, inf matches inf.
void compare(const char* what, const std::vector<double>& got, const std::vector<double>& want, double rtol,
             double atol) {
  ++g_kernels;
  CHECK_EQ(got.size(), want.size());
  int bad = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    double g = got[i], w = want[i];
    bool ok = (std::isnan(g) && std::isnan(w)) || g == w || std::fabs(g - w) <= atol + rtol * std::fabs(w);
    if (!ok && bad++ < 3) {
      char msg[256];
      std::snprintf(msg, sizeof msg, "%s: element %zu is %.9g, the CPU kernel gives %.9g", what, i, g, w);
      check::fail(__FILE__, __LINE__, msg);
    }
  }
}

::Layout layout_of(const array& x) {
  ::Layout l{};
  l.ndim = x.ndim();
  for (int d = 0; d < x.ndim(); ++d) {
    l.shape[d] = x.shape(d);
    l.strides[d] = long(x.strides(d));
  }
  return l;
}

double tol_of(Dtype t) { return t == Dtype::float16 ? 2e-3 : t == Dtype::float32 ? 2e-6 : 0; }

uint3 groups_for(size_t n, uint per) { return uint3(uint((n + per - 1) / per), 1, 1); }

// ---- element-wise ----------------------------------------------------------------------

template <typename T, typename U, typename Op>
void unary_case(const char* what, const array& x_in, const array& want, double rtol, double atol) {
  array x = x_in;
  mlx::eval(x);
  ::Layout l = layout_of(x);
  uint n = uint(x.size());
  std::vector<U> out(n);
  const T* in = x.data<T>();
  metal_emu::dispatch(groups_for(n, 32), uint3(32, 1, 1), [&](const Thread& t) {
    unary_g<T, U, Op>(in, out.data(), l, n, t.grid.x);
  });
  compare(what, to_double(out), values(want), rtol, atol);
}

// The views every element-wise family runs on: contiguous, transposed, broadcast, sliced.
std::vector<array> views(Dtype dtype, double lo, double hi, uint32_t seed) {
  array base = input({5, 7}, dtype, lo, hi, seed);
  array row = input({1, 9}, dtype, lo, hi, seed + 1);
  array cube = input({3, 4, 6}, dtype, lo, hi, seed + 2);
  return {base, mlx::transpose(base), mlx::broadcast_to(row, {4, 9}),
          mlx::slice_axis(mlx::transpose(cube, std::vector<int>{2, 0, 1}), 0, 1, 5)};
}

template <typename T, typename Op>
void unary_family(const char* what, Dtype dtype, array (*ref)(const array&), double lo, double hi) {
  uint32_t seed = 1;
  for (const array& x : views(dtype, lo, hi, seed++)) {
    unary_case<T, T, Op>(what, x, ref(x), tol_of(dtype), tol_of(dtype));
  }
}

template <typename T, typename U, typename Op>
void binary_case(const char* what, const array& a_in, const array& b_in, const array& want, double tol) {
  mlx::Shape shape = want.shape();
  array a = mlx::broadcast_to(a_in, shape), b = mlx::broadcast_to(b_in, shape);
  mlx::eval(a);
  mlx::eval(b);
  ::Layout la = layout_of(a), lb = layout_of(b);
  uint n = uint(mlx::array(want).size());
  std::unique_ptr<U[]> out(new U[n]());  // (not std::vector: U may be bool)
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  metal_emu::dispatch(groups_for(n, 32), uint3(32, 1, 1), [&](const Thread& t) {
    binary_g<T, U, Op>(pa, pb, out.get(), la, lb, n, t.grid.x);
  });
  std::vector<double> got;
  for (uint i = 0; i < n; ++i) got.push_back(double(float(out[i])));
  compare(what, got, values(want), tol, tol);
}

template <typename T, typename U, typename Op>
void binary_family(const char* what, Dtype dtype, array (*ref)(const array&, const array&), double lo, double hi) {
  // Operand pairs: same shape; a transposed against b; row-broadcast b; both broadcast
  // (column against row); a 3-d view against a broadcast vector.
  array m = input({6, 5}, dtype, lo, hi, 11);
  array mt = mlx::transpose(input({5, 6}, dtype, lo, hi, 12));
  array row = input({5}, dtype, lo, hi, 13);
  array col = input({6, 1}, dtype, lo, hi, 14);
  array cube = mlx::transpose(input({3, 5, 4}, dtype, lo, hi, 15), std::vector<int>{0, 2, 1});
  std::vector<std::pair<array, array>> pairs = {
      {m, input({6, 5}, dtype, lo, hi, 16)}, {mt, m}, {m, row}, {col, row}, {cube, row}};
  for (auto& [a, b] : pairs) binary_case<T, U, Op>(what, a, b, ref(a, b), tol_of(dtype));
}

array ref_neg(const array& a) { return mlx::negative(a); }
array ref_exp(const array& a) { return mlx::exp(a); }
array ref_log(const array& a) { return mlx::log(a); }
array ref_tanh(const array& a) { return mlx::tanh(a); }
array ref_abs(const array& a) { return mlx::abs(a); }
array ref_square(const array& a) { return mlx::square(a); }
array ref_sqrt(const array& a) { return mlx::sqrt(a); }
array ref_rsqrt(const array& a) { return mlx::rsqrt(a); }
array ref_sin(const array& a) { return mlx::sin(a); }
array ref_cos(const array& a) { return mlx::cos(a); }
array ref_sigmoid(const array& a) { return mlx::sigmoid(a); }
array ref_floor(const array& a) { return mlx::floor(a); }
array ref_ceil(const array& a) { return mlx::ceil(a); }
array ref_copy(const array& a) { return mlx::copy(a); }

}  // namespace

// The backend maps every op marked `metal` in the table to the kernels <mlx_name>_<dtype>;
// each must exist at least for float32.
TEST(metal_kernels_exist_for_every_op_the_table_marks) {
  int marked = 0;
#define MLX_CHECK_METAL(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP)                  \
  if (METAL) {                                                                     \
    ++marked;                                                                      \
    CHECK(msl_names::all().count(std::string(#MLX_NAME) + "_float32") == 1);      \
  }
  MLX_ELEMENTWISE_UNARY(MLX_CHECK_METAL)
  MLX_ELEMENTWISE_BINARY(MLX_CHECK_METAL)
#undef MLX_CHECK_METAL
  CHECK(marked >= 20);
}

TEST(metal_unary_kernels_match_the_cpu) {
  unary_family<float, UNeg>("neg f32", Dtype::float32, ref_neg, -3, 3);
  unary_family<float, UAbs>("abs f32", Dtype::float32, ref_abs, -3, 3);
  unary_family<float, USquare>("square f32", Dtype::float32, ref_square, -3, 3);
  unary_family<float, UExp>("exp f32", Dtype::float32, ref_exp, -4, 4);
  unary_family<float, ULog>("log f32", Dtype::float32, ref_log, 0.01, 5);
  unary_family<float, USqrt>("sqrt f32", Dtype::float32, ref_sqrt, 0, 9);
  unary_family<float, URsqrt>("rsqrt f32", Dtype::float32, ref_rsqrt, 0.1, 9);
  unary_family<float, USin>("sin f32", Dtype::float32, ref_sin, -6, 6);
  unary_family<float, UCos>("cos f32", Dtype::float32, ref_cos, -6, 6);
  unary_family<float, UTanh>("tanh f32", Dtype::float32, ref_tanh, -4, 4);
  unary_family<float, USigmoid>("sigmoid f32", Dtype::float32, ref_sigmoid, -6, 6);
  unary_family<float, UFloor>("floor f32", Dtype::float32, ref_floor, -5, 5);
  unary_family<float, UCeil>("ceil f32", Dtype::float32, ref_ceil, -5, 5);
  unary_family<half, UNeg>("neg f16", Dtype::float16, ref_neg, -3, 3);
  unary_family<half, UAbs>("abs f16", Dtype::float16, ref_abs, -3, 3);
  unary_family<half, UExp>("exp f16", Dtype::float16, ref_exp, -3, 3);
  unary_family<half, ULog>("log f16", Dtype::float16, ref_log, 0.05, 5);
  unary_family<half, USqrt>("sqrt f16", Dtype::float16, ref_sqrt, 0, 9);
  unary_family<half, UTanh>("tanh f16", Dtype::float16, ref_tanh, -3, 3);
  unary_family<half, USigmoid>("sigmoid f16", Dtype::float16, ref_sigmoid, -5, 5);
  unary_family<int, UNeg>("neg i32", Dtype::int32, ref_neg, -100, 100);
  unary_family<int, UAbs>("abs i32", Dtype::int32, ref_abs, -100, 100);
  unary_family<int, USquare>("square i32", Dtype::int32, ref_square, -100, 100);
}

TEST(metal_copy_and_cast_kernels_match_the_cpu) {
  unary_family<float, UIdentity>("copy f32", Dtype::float32, ref_copy, -3, 3);
  unary_family<half, UIdentity>("copy f16", Dtype::float16, ref_copy, -3, 3);
  unary_family<int, UIdentity>("copy i32", Dtype::int32, ref_copy, -50, 50);
  uint32_t seed = 40;
  for (const array& x : views(Dtype::float32, -70000, 70000, seed++)) {  // beyond half's range too
    unary_case<float, half, UIdentity>("cast f32->f16", x, mlx::astype(x, Dtype::float16), 0, 0);
  }
  for (const array& x : views(Dtype::float16, -50, 50, seed++)) {
    unary_case<half, float, UIdentity>("cast f16->f32", x, mlx::astype(x, Dtype::float32), 0, 0);
  }
  for (const array& x : views(Dtype::int32, -1000, 1000, seed++)) {
    unary_case<int, float, UIdentity>("cast i32->f32", x, mlx::astype(x, Dtype::float32), 0, 0);
  }
  for (const array& x : views(Dtype::float32, -1000, 1000, seed++)) {
    unary_case<float, int, UIdentity>("cast f32->i32", x, mlx::astype(x, Dtype::int32), 0, 0);
  }
  for (const array& x : views(Dtype::float32, -1, 1, seed++)) {
    array c = mlx::less(x, mlx::array::scalar(0, Dtype::float32));
    unary_case<bool, float, UIdentity>("cast bool->f32", c, mlx::astype(c, Dtype::float32), 0, 0);
  }
}

TEST(metal_binary_kernels_broadcast_like_the_cpu) {
  binary_family<float, float, BAdd>("add f32", Dtype::float32, mlx::add, -5, 5);
  binary_family<float, float, BSub>("subtract f32", Dtype::float32, mlx::subtract, -5, 5);
  binary_family<float, float, BMul>("multiply f32", Dtype::float32, mlx::multiply, -5, 5);
  binary_family<float, float, BDiv>("divide f32", Dtype::float32, mlx::divide, 0.5, 5);
  binary_family<float, float, BMax>("maximum f32", Dtype::float32, mlx::maximum, -5, 5);
  binary_family<float, float, BMin>("minimum f32", Dtype::float32, mlx::minimum, -5, 5);
  binary_family<float, float, BPow>("power f32", Dtype::float32, mlx::power, 0.1, 3);
  binary_family<float, bool, BLess>("less f32", Dtype::float32, mlx::less, -5, 5);
  binary_family<half, half, BAdd>("add f16", Dtype::float16, mlx::add, -5, 5);
  binary_family<half, half, BMul>("multiply f16", Dtype::float16, mlx::multiply, -5, 5);
  binary_family<int, int, BAdd>("add i32", Dtype::int32, mlx::add, -1000, 1000);
  binary_family<int, int, BSub>("subtract i32", Dtype::int32, mlx::subtract, -1000, 1000);
  binary_family<int, int, BMul>("multiply i32", Dtype::int32, mlx::multiply, -1000, 1000);
  binary_family<int, int, BMax>("maximum i32", Dtype::int32, mlx::maximum, -1000, 1000);
  binary_family<int, bool, BLess>("less i32", Dtype::int32, mlx::less, -3, 3);
  // equal on values drawn from a few integers, so that both outcomes occur
  array a = mlx::floor(input({6, 5}, Dtype::float32, 0, 3, 21)), b = mlx::floor(input({5}, Dtype::float32, 0, 3, 22));
  binary_case<float, bool, BEqual>("equal f32", a, b, mlx::equal(a, b), 0);
  // NaN propagation of maximum/minimum
  float nan = std::numeric_limits<float>::quiet_NaN();
  array p = array::from_vector<float>({1, nan, 3, nan}, {4}), q = array::from_vector<float>({nan, 2, 1, nan}, {4});
  binary_case<float, float, BMax>("maximum NaN", p, q, mlx::maximum(p, q), 0);
  binary_case<float, float, BMin>("minimum NaN", p, q, mlx::minimum(p, q), 0);
}

namespace {
template <typename T>
void where_case(const char* what, Dtype dtype) {
  array c = mlx::less(input({6, 1}, Dtype::float32, -1, 1, 31), mlx::array::scalar(0, Dtype::float32));
  array a = mlx::transpose(input({5, 6}, dtype, -9, 9, 32));
  array b = input({5}, dtype, -9, 9, 33);
  array want = mlx::where(c, a, b);
  mlx::Shape shape = want.shape();
  array cb = mlx::broadcast_to(c, shape), ab = mlx::broadcast_to(a, shape), bb = mlx::broadcast_to(b, shape);
  mlx::eval(cb);
  mlx::eval(ab);
  mlx::eval(bb);
  ::Layout lc = layout_of(cb), la = layout_of(ab), lb = layout_of(bb);
  uint n = uint(want.size());
  std::vector<T> out(n);
  const bool* pc = cb.data<bool>();
  const T* pa = ab.data<T>();
  const T* pb = bb.data<T>();
  metal_emu::dispatch(groups_for(n, 16), uint3(16, 1, 1), [&](const Thread& t) {
    select_g<T>(pc, pa, pb, out.data(), lc, la, lb, n, t.grid.x);
  });
  compare(what, to_double(out), values(want), 0, 0);
}
}  // namespace

TEST(metal_where_kernel_broadcasts_all_three_operands) {
  where_case<float>("where f32", Dtype::float32);
  where_case<half>("where f16", Dtype::float16);
  where_case<int>("where i32", Dtype::int32);
}

// ---- row kernels: reductions, softmax, logsumexp, norms --------------------------------

namespace {

// Runs a one-threadgroup-per-row kernel over `rows` rows.
void rows_dispatch(uint rows, const std::function<void(uint row, uint lid)>& body) {
  g_rounds += metal_emu::dispatch(uint3(rows, 1, 1), uint3(MLX_METAL_ROW_THREADS, 1, 1),
                                  [&](const Thread& t) { body(t.group.x, t.local.x); });
}

// Row sizes: below, at and above the threadgroup width, odd.
const std::vector<int> kRowSizes = {1, 3, 127, 128, 129, 1000};

template <typename T, typename A, typename Op>
void reduce_case(const char* what, Dtype dtype, array (*ref)(const array&, mlx::Axes, bool), double lo,
                 double hi, double tol) {
  for (int d : kRowSizes) {
    array x = input({5, d}, dtype, lo, hi, uint32_t(d));
    mlx::eval(x);
    std::vector<T> out(5);
    const T* px = x.data<T>();
    uint rs = uint(d);
    rows_dispatch(5, [&](uint row, uint lid) { reduce_rows<T, T, A, Op>(px, out.data(), rs, row, lid); });
    compare(what, to_double(out), values(ref(x, std::vector<int>{1}, false)), tol, tol);
  }
}

array ref_sum(const array& a, mlx::Axes ax, bool k) { return mlx::sum(a, ax, k); }
array ref_max(const array& a, mlx::Axes ax, bool k) { return mlx::max(a, ax, k); }
array ref_min(const array& a, mlx::Axes ax, bool k) { return mlx::min(a, ax, k); }
array ref_prod(const array& a, mlx::Axes ax, bool k) { return mlx::prod(a, ax, k); }

}  // namespace

TEST(metal_row_reductions_match_the_cpu) {
  reduce_case<float, float, RSum<float>>("sum f32", Dtype::float32, ref_sum, -1, 1, 1e-5);
  reduce_case<float, float, RMax<float>>("max f32", Dtype::float32, ref_max, -1, 1, 0);
  reduce_case<float, float, RMin<float>>("min f32", Dtype::float32, ref_min, -1, 1, 0);
  reduce_case<float, float, RProd<float>>("prod f32", Dtype::float32, ref_prod, 0.998, 1.002, 1e-5);
  reduce_case<half, float, RSum<float>>("sum f16", Dtype::float16, ref_sum, -1, 1, 2e-3);
  reduce_case<half, float, RMax<float>>("max f16", Dtype::float16, ref_max, -1, 1, 0);
  reduce_case<int, int, RSum<int>>("sum i32", Dtype::int32, ref_sum, -100, 100, 0);
  reduce_case<int, int, RMax<int>>("max i32", Dtype::int32, ref_max, -100, 100, 0);
  reduce_case<int, int, RMin<int>>("min i32", Dtype::int32, ref_min, -100, 100, 0);
  // A NaN anywhere in the row makes max NaN.
  std::vector<float> v(300, 1.0f);
  v[211] = std::numeric_limits<float>::quiet_NaN();
  array x = array::from_vector<float>(v, {1, 300});
  std::vector<float> out(1);
  rows_dispatch(1, [&](uint row, uint lid) { reduce_rows<float, float, float, RMax<float>>(x.data<float>(), out.data(), 300, row, lid); });
  compare("max NaN", to_double(out), values(mlx::max(x, std::vector<int>{1})), 0, 0);
  CHECK(g_rounds > 0);
}

TEST(metal_softmax_and_logsumexp_match_the_cpu) {
  for (Dtype dtype : {Dtype::float32, Dtype::float16}) {
    double tol = dtype == Dtype::float16 ? 2e-3 : 1e-6;
    for (int d : kRowSizes) {
      array x = input({4, d}, dtype, -6, 6, uint32_t(d) + 7);
      mlx::eval(x);
      uint rs = uint(d);
      array want_s = mlx::softmax(x, std::vector<int>{1});
      array want_l = mlx::logsumexp(x, std::vector<int>{1});
      if (dtype == Dtype::float32) {
        std::vector<float> s(x.size()), l(4);
        rows_dispatch(4, [&](uint row, uint lid) { softmax_rows<float>(x.data<float>(), s.data(), rs, row, lid); });
        rows_dispatch(4, [&](uint row, uint lid) { logsumexp_rows<float>(x.data<float>(), l.data(), rs, row, lid); });
        compare("softmax f32", to_double(s), values(want_s), tol, tol);
        compare("logsumexp f32", to_double(l), values(want_l), tol, tol);
      } else {
        std::vector<half> s(x.size()), l(4);
        rows_dispatch(4, [&](uint row, uint lid) { softmax_rows<half>(x.data<half>(), s.data(), rs, row, lid); });
        rows_dispatch(4, [&](uint row, uint lid) { logsumexp_rows<half>(x.data<half>(), l.data(), rs, row, lid); });
        compare("softmax f16", to_double(s), values(want_s), tol, tol);
        compare("logsumexp f16", to_double(l), values(want_l), tol, tol);
      }
    }
  }
  // Masked positions (-inf) get exactly 0; a large offset does not overflow.
  float ninf = -std::numeric_limits<float>::infinity();
  array x = array::from_vector<float>({1000, ninf, 1001, 999, ninf, 2}, {2, 3});
  std::vector<float> s(6), l(2);
  rows_dispatch(2, [&](uint row, uint lid) { softmax_rows<float>(x.data<float>(), s.data(), 3, row, lid); });
  rows_dispatch(2, [&](uint row, uint lid) { logsumexp_rows<float>(x.data<float>(), l.data(), 3, row, lid); });
  compare("softmax masked", to_double(s), values(mlx::softmax(x, std::vector<int>{1})), 1e-6, 1e-7);
  CHECK(s[1] == 0.0f && s[4] == 0.0f);
  compare("logsumexp masked", to_double(l), values(mlx::logsumexp(x, std::vector<int>{1})), 1e-6, 1e-6);
}

namespace {

template <typename T>
void norm_case(Dtype dtype, int d, double tol) {
  const float eps = 1e-5f;
  array x = input({3, d}, dtype, -2, 2, uint32_t(d) + 50);
  array w = input({d}, dtype, 0.5, 1.5, uint32_t(d) + 51);
  array b = input({d}, dtype, -1, 1, uint32_t(d) + 52);
  mlx::eval(x);
  mlx::eval(w);
  mlx::eval(b);
  array x32 = mlx::astype(x, Dtype::float32), w32 = mlx::astype(w, Dtype::float32), b32 = mlx::astype(b, Dtype::float32);
  array e = mlx::array::scalar(eps, Dtype::float32);
  // The CPU compositions (float32, then rounded like the kernel's output).
  array ms = mlx::mean(mlx::square(x32), std::vector<int>{1}, true);
  array want_rms = mlx::astype(mlx::multiply(mlx::multiply(x32, mlx::rsqrt(mlx::add(ms, e))), w32), dtype);
  array mu = mlx::mean(x32, std::vector<int>{1}, true);
  array var = mlx::mean(mlx::square(mlx::subtract(x32, mu)), std::vector<int>{1}, true);
  array normed = mlx::multiply(mlx::subtract(x32, mu), mlx::rsqrt(mlx::add(var, e)));
  array want_ln = mlx::astype(mlx::add(mlx::multiply(normed, w32), b32), dtype);
  array want_ln_plain = mlx::astype(normed, dtype);

  ::NormParams p{uint(d), eps, 1, 1};
  ::NormParams plain{uint(d), eps, 0, 0};
  std::vector<T> rms(x.size()), ln(x.size()), ln_plain(x.size());
  const T* px = x.data<T>();
  const T* pw = w.data<T>();
  const T* pb = b.data<T>();
  rows_dispatch(3, [&](uint row, uint lid) { rms_norm_rows<T>(px, pw, rms.data(), p, row, lid); });
  rows_dispatch(3, [&](uint row, uint lid) { layer_norm_rows<T>(px, pw, pb, ln.data(), p, row, lid); });
  rows_dispatch(3, [&](uint row, uint lid) { layer_norm_rows<T>(px, pw, pb, ln_plain.data(), plain, row, lid); });
  compare("rms_norm", to_double(rms), values(want_rms), tol, tol);
  compare("layer_norm", to_double(ln), values(want_ln), tol, tol);
  compare("layer_norm (no weight, no bias)", to_double(ln_plain), values(want_ln_plain), tol, tol);
}

// RoPE by its definition, in double.
std::vector<double> rope_reference(const std::vector<double>& x, const ::RopeParams& p, int rows) {
  std::vector<double> y = x;
  for (int r = 0; r < rows; ++r) {
    double pos = double(p.scale) * double(p.offset + int(uint(r) % p.seq_len));
    for (uint i = 0; i < p.dims / 2; ++i) {
      double theta = pos * std::pow(double(p.base), -2.0 * i / double(p.dims));
      uint i0 = p.traditional ? 2 * i : i, i1 = p.traditional ? 2 * i + 1 : i + p.dims / 2;
      double x0 = x[r * p.D + i0], x1 = x[r * p.D + i1];
      y[r * p.D + i0] = x0 * std::cos(theta) - x1 * std::sin(theta);
      y[r * p.D + i1] = x0 * std::sin(theta) + x1 * std::cos(theta);
    }
  }
  return y;
}

template <typename T>
void rope_case(Dtype dtype, uint D, uint dims, int traditional, double tol) {
  const int rows = 6;
  array x = input({rows, int(D)}, dtype, -1, 1, D + dims);
  mlx::eval(x);
  ::RopeParams p{D, dims, 4, 3, 10000.0f, 0.5f, traditional};
  std::vector<T> out(x.size());
  const T* px = x.data<T>();
  uint pairs = dims / 2;
  metal_emu::dispatch(uint3((pairs + 7) / 8, rows, 1), uint3(8, 1, 1), [&](const Thread& t) {
    rope_rows<T>(px, out.data(), p, uint2(t.grid.x, t.grid.y));
  });
  compare(traditional ? "rope traditional" : "rope", to_double(out), rope_reference(values(x), p, rows), tol, tol);
}

}  // namespace

TEST(metal_fast_kernels_match_their_definitions) {
  for (int d : {1, 7, 128, 300}) {
    norm_case<float>(Dtype::float32, d, 2e-5);
    norm_case<half>(Dtype::float16, d, 4e-3);
  }
  rope_case<float>(Dtype::float32, 16, 16, 0, 2e-6);
  rope_case<float>(Dtype::float32, 20, 12, 1, 2e-6);
  rope_case<float>(Dtype::float32, 18, 10, 0, 2e-6);
  rope_case<half>(Dtype::float16, 16, 16, 1, 4e-3);
}

// The kernels as metal_backend.mm dispatches the RMSNorm / LayerNorm / RoPE primitives (an
// absent weight or bias bound to x; rope on groups of 32 threads, grid (pairs, rows)) against
// the primitives' CPU kernels (core-cpp/src/kernels/fast.cpp).
namespace {
template <typename T>
void fast_primitive_case(Dtype dtype, int d, int dims, double tol) {
  const int seq = 5, rows = 3 * seq;
  array x = input({3, seq, d}, dtype, -2, 2, uint32_t(d) + 70);
  array w = input({d}, dtype, 0.5, 1.5, uint32_t(d) + 71);
  array b = input({d}, dtype, -1, 1, uint32_t(d) + 72);
  mlx::eval(x);
  mlx::eval(w);
  mlx::eval(b);
  const T* px = x.data<T>();
  const T* pw = w.data<T>();
  const T* pb = b.data<T>();
  std::vector<T> out(x.size());
  ::NormParams p{uint(d), 1e-5f, 0, 0};
  rows_dispatch(rows, [&](uint row, uint lid) { rms_norm_rows<T>(px, px, out.data(), p, row, lid); });
  compare("rms_norm (no weight) vs RMSNorm", to_double(out), values(mlx::fast::rms_norm(x, std::nullopt, 1e-5)), tol, tol);
  p.has_b = 1;
  rows_dispatch(rows, [&](uint row, uint lid) { layer_norm_rows<T>(px, px, pb, out.data(), p, row, lid); });
  compare("layer_norm (bias only) vs LayerNorm", to_double(out), values(mlx::fast::layer_norm(x, std::nullopt, b, 1e-5)),
          tol, tol);
  p.has_w = 1;
  rows_dispatch(rows, [&](uint row, uint lid) { rms_norm_rows<T>(px, pw, out.data(), p, row, lid); });
  compare("rms_norm vs RMSNorm", to_double(out), values(mlx::fast::rms_norm(x, w, 1e-5)), tol, tol);
  for (int traditional : {0, 1}) {
    ::RopeParams rp{uint(d), uint(dims), uint(seq), 3, 10000.0f, 0.5f, traditional};
    uint pairs = uint(dims) / 2;
    metal_emu::dispatch(uint3((pairs + 31) / 32, rows, 1), uint3(32, 1, 1), [&](const Thread& t) {
      rope_rows<T>(px, out.data(), rp, uint2(t.grid.x, t.grid.y));
    });
    compare("rope vs RoPE", to_double(out), values(mlx::fast::rope(x, dims, traditional != 0, 10000, 0.5, 3)), tol, tol);
  }
}
}  // namespace

// sdpa_rows as eval_sdpa dispatches it: q, k, v [B, H, L, D] with heads folded into the
// kernel's batch axis (grid (Lq, B·H), D threads), against the ScaledDotProductAttention
// primitive's CPU kernel.
template <typename T>
void sdpa_primitive_case(Dtype dtype, int B, int H, int Lq, int Lk, int D, bool causal, double tol) {
  array q = input({B, H, Lq, D}, dtype, -1, 1, uint32_t(Lq * 11 + D));
  array k = input({B, H, Lk, D}, dtype, -1, 1, uint32_t(Lk * 13 + D));
  array v = input({B, H, Lk, D}, dtype, -1, 1, uint32_t(Lk * 17 + D));
  mlx::eval(q);
  mlx::eval(k);
  mlx::eval(v);
  float scale = 0.7f;
  ::SdpaParams p{uint(Lq), uint(Lk), uint(D), scale, causal ? 1 : 0};
  std::vector<T> out(q.size());
  const T* pq = q.data<T>();
  const T* pk = k.data<T>();
  const T* pv = v.data<T>();
  g_rounds += metal_emu::dispatch(uint3(uint(Lq), uint(B * H), 1), uint3(uint(D), 1, 1), [&](const Thread& t) {
    sdpa_rows<T>(pq, pk, pv, out.data(), p, uint2(t.group.x, t.group.y), t.local.x);
  });
  array want = mlx::fast::scaled_dot_product_attention(q, k, v, double(scale), std::nullopt, causal);
  compare(causal ? "sdpa causal vs ScaledDotProductAttention" : "sdpa vs ScaledDotProductAttention", to_double(out),
          values(want), tol, tol);
}

TEST(metal_fast_kernels_match_the_fast_primitives) {
  sdpa_primitive_case<float>(Dtype::float32, 2, 3, 5, 9, 4, false, 2e-6);
  sdpa_primitive_case<float>(Dtype::float32, 1, 2, 6, 6, 8, true, 2e-6);
  sdpa_primitive_case<half>(Dtype::float16, 1, 2, 3, 11, 8, true, 4e-3);
  fast_primitive_case<float>(Dtype::float32, 10, 6, 2e-5);
  fast_primitive_case<float>(Dtype::float32, 200, 200, 2e-5);
  fast_primitive_case<half>(Dtype::float16, 70, 64, 4e-3);
}

// ---- matmul ---------------------------------------------------------------------------

namespace {

template <typename T>
void matmul_case(const char* what, const array& a_in, const array& b_in, double tol) {
  array want = mlx::matmul(a_in, b_in);
  mlx::eval(want);
  mlx::Shape shape = want.shape();
  int nd = int(shape.size());
  int M = shape[nd - 2], N = shape[nd - 1], K = a_in.shape(-1);
  // The op's broadcast of the batch axes, as the backend receives them.
  mlx::Shape ash = shape, bsh = shape;
  ash[nd - 1] = K;
  bsh[nd - 2] = K;
  array a = mlx::broadcast_to(a_in, ash), b = mlx::broadcast_to(b_in, bsh);
  mlx::eval(a);
  mlx::eval(b);
  ::GemmParams p{};
  p.M = M;
  p.N = N;
  p.K = K;
  p.a_rs = long(a.strides(nd - 2));
  p.a_cs = long(a.strides(nd - 1));
  p.b_rs = long(b.strides(nd - 2));
  p.b_cs = long(b.strides(nd - 1));
  p.a_batch.ndim = p.b_batch.ndim = nd - 2;
  uint batches = 1;
  for (int d = 0; d < nd - 2; ++d) {
    p.a_batch.shape[d] = p.b_batch.shape[d] = shape[d];
    p.a_batch.strides[d] = long(a.strides(d));
    p.b_batch.strides[d] = long(b.strides(d));
    batches *= uint(shape[d]);
  }
  std::vector<T> out(want.size());
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  const uint tile = MLX_METAL_TILE;
  g_rounds += metal_emu::dispatch(uint3((N + tile - 1) / tile, (M + tile - 1) / tile, batches), uint3(tile, tile, 1),
                                  [&](const Thread& t) { gemm_tiled<T>(pa, pb, out.data(), p, t.group, t.local); });
  compare(what, to_double(out), values(want), tol, tol);
}

}  // namespace

TEST(metal_tiled_matmul_matches_the_cpu) {
  for (Dtype dtype : {Dtype::float32, Dtype::float16}) {
    double tol = dtype == Dtype::float16 ? 1e-2 : 2e-5;
    auto run = [&](const char* what, const array& a, const array& b) {
      if (dtype == Dtype::float32) matmul_case<float>(what, a, b, tol);
      else matmul_case<half>(what, a, b, tol);
    };
    // Single matrices of sizes off the tile; K smaller and larger than a tile.
    run("matmul 19x23 @ 23x17", input({19, 23}, dtype, -1, 1, 1), input({23, 17}, dtype, -1, 1, 2));
    run("matmul 1x5 @ 5x1", input({1, 5}, dtype, -1, 1, 3), input({5, 1}, dtype, -1, 1, 4));
    run("matmul 33x40 @ 40x16", input({33, 40}, dtype, -1, 1, 5), input({40, 16}, dtype, -1, 1, 6));
    // Transposed operands, read through their strides.
    run("matmul A^T @ B^T", mlx::transpose(input({23, 19}, dtype, -1, 1, 7)), mlx::transpose(input({17, 23}, dtype, -1, 1, 8)));
    // Batched, with B broadcast over the batch (stride 0) and a transposed batch of A.
    run("matmul batched, B broadcast", input({3, 18, 21}, dtype, -1, 1, 9), input({21, 20}, dtype, -1, 1, 10));
    run("matmul batched 2x2, A transposed", mlx::swapaxes(input({2, 2, 21, 18}, dtype, -1, 1, 11), 2, 3),
        input({2, 1, 21, 7}, dtype, -1, 1, 12));
  }
}

namespace {

template <typename T>
void sdpa_case(Dtype dtype, int B, int Lq, int Lk, int D, bool causal, double tol) {
  array q = input({B, Lq, D}, dtype, -1, 1, uint32_t(Lq * 7 + D));
  array k = input({B, Lk, D}, dtype, -1, 1, uint32_t(Lk * 5 + D));
  array v = input({B, Lk, D}, dtype, -1, 1, uint32_t(Lk * 3 + D));
  mlx::eval(q);
  mlx::eval(k);
  mlx::eval(v);
  float scale = 1.0f / std::sqrt(float(D));
  // The CPU composition in float32: softmax(q k^T * scale, masked) v.
  array q32 = mlx::astype(q, Dtype::float32), k32 = mlx::astype(k, Dtype::float32), v32 = mlx::astype(v, Dtype::float32);
  array scores = mlx::multiply(mlx::matmul(q32, mlx::swapaxes(k32, 1, 2)), mlx::array::scalar(scale, Dtype::float32));
  if (causal) {
    std::vector<bool> keep;
    for (int i = 0; i < Lq; ++i)
      for (int j = 0; j < Lk; ++j) keep.push_back(j <= i + Lk - Lq);
    std::vector<uint8_t> bytes(keep.begin(), keep.end());
    array mask = mlx::astype(array::from_vector<uint8_t>(bytes, {Lq, Lk}), Dtype::bool_);
    scores = mlx::where(mask, scores, mlx::array::scalar(-INFINITY, Dtype::float32));
  }
  array want = mlx::astype(mlx::matmul(mlx::softmax(scores, std::vector<int>{2}), v32), dtype);
  ::SdpaParams p{uint(Lq), uint(Lk), uint(D), scale, causal ? 1 : 0};
  std::vector<T> out(want.size());
  const T* pq = q.data<T>();
  const T* pk = k.data<T>();
  const T* pv = v.data<T>();
  g_rounds += metal_emu::dispatch(uint3(uint(Lq), uint(B), 1), uint3(uint(D), 1, 1), [&](const Thread& t) {
    sdpa_rows<T>(pq, pk, pv, out.data(), p, uint2(t.group.x, t.group.y), t.local.x);
  });
  compare(causal ? "sdpa causal" : "sdpa", to_double(out), values(want), tol, tol);
}

}  // namespace

TEST(metal_sdpa_matches_the_cpu_composition) {
  // Key counts below, at and across the block of D keys; D not a power of two.
  sdpa_case<float>(Dtype::float32, 2, 5, 7, 8, false, 2e-6);
  sdpa_case<float>(Dtype::float32, 1, 9, 9, 16, true, 2e-6);
  sdpa_case<float>(Dtype::float32, 3, 4, 37, 12, false, 2e-6);
  sdpa_case<float>(Dtype::float32, 2, 6, 40, 12, true, 2e-6);
  sdpa_case<half>(Dtype::float16, 2, 5, 33, 16, false, 4e-3);
}

TEST(metal_emulator_reports_its_counts) {
  // Runs last (registration order): prints how much was compared.
  std::printf("  metal emulation: %d kernel runs compared with the CPU kernels, %zu barrier rounds\n", g_kernels,
              g_rounds);
  CHECK(g_kernels > 100);
  CHECK(g_rounds > 0);
}

TEST(metal_emulator_barriers_order_threadgroup_memory) {
  // Each thread writes its slot, waits, then reads its neighbour's: without a real barrier
  // the neighbour would not have written yet.
  std::vector<int> seen(64, -1);
  size_t rounds = metal_emu::dispatch(uint3(2, 1, 1), uint3(32, 1, 1), [&](const Thread& t) {
    static int slots[32];
    slots[t.local.x] = int(t.grid.x) + 1;
    threadgroup_barrier(mem_flags::mem_threadgroup);
    seen[t.grid.x] = slots[(t.local.x + 1) % 32];
  });
  CHECK_EQ(rounds, size_t(2));
  for (int i = 0; i < 64; ++i) CHECK_EQ(seen[i], (i / 32) * 32 + (i + 1) % 32 + 1);
  // Threads that disagree on the number of barriers are an error, as in Metal (undefined).
  bool threw = false;
  try {
    metal_emu::dispatch(uint3(1, 1, 1), uint3(4, 1, 1), [&](const Thread& t) {
      if (t.local.x == 0) threadgroup_barrier(mem_flags::mem_threadgroup);
    });
  } catch (const std::logic_error&) {
    threw = true;
  }
  CHECK(threw);
}

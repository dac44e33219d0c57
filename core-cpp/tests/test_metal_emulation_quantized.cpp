// The quantization Metal kernels (src/backend/metal/kernels/quantized.h) compiled as C++
// through the shim and run over their grids by the emulator (see test_metal_emulation.cpp),
// dispatched as metal_backend.mm dispatches them, against the CPU primitives' results on the
// same inputs: every bits value (2, 3, 4, 5, 6, 8) and group size (32, 64, 128), float32 and
// float16, both layouts, shapes off the tile and block sizes, batched x with one W and a
// batch of W; then the floating-point modes (mxfp4, mxfp8, nvfp4) the same way, and
// GatherQMM (the same kernels reading gathered x and W matrices).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "ops.h"
#include "ops/elementwise.h"
#include "ops/gather_qmm.h"
#include "ops/quantized.h"
#include "ops/shape.h"
#include "transforms/eval_grad.h"

// After the core's headers: the shim's macros (device, constant, threadgroup, ...) must
// not reach them.
#include "../src/backend/metal/shim/metal_shim.h"
// clang-format off
#include "../src/backend/metal/kernels/params.h"
#include "../src/backend/metal/kernels/common.h"
#include "../src/backend/metal/kernels/quantized.h"
#include "../src/backend/metal/kernels/quantized_fp.h"
// clang-format on

namespace {

using mlx::array;
using mlx::Dtype;
using metal_emu::Thread;

int q_kernels = 0;    // kernel runs compared
size_t q_rounds = 0;  // barrier rounds the emulator ran

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
  array c = a.converted(a.dtype());  // row-contiguous
  std::vector<double> v(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    v[i] = c.dtype() == Dtype::float16 ? double(float(c.data<half>()[i])) : double(c.data<float>()[i]);
  }
  return v;
}

template <typename T>
std::vector<double> to_double(const std::vector<T>& xs) {
  std::vector<double> v;
  for (const T& x : xs) v.push_back(double(float(x)));
  return v;
}

// |got - want| <= tol[i] element-wise.
void compare(const std::string& what, const std::vector<double>& got, const std::vector<double>& want,
             const std::vector<double>& tol) {
  ++q_kernels;
  CHECK_EQ(got.size(), want.size());
  int bad = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    if (!(std::fabs(got[i] - want[i]) <= tol[i]) && bad++ < 3) {
      char msg[320];
      std::snprintf(msg, sizeof msg, "%s: element %zu is %.9g, the CPU primitive gives %.9g (tolerance %.3g)",
                    what.c_str(), i, got[i], want[i], tol[i]);
      check::fail(__FILE__, __LINE__, msg);
    }
  }
}

// The tolerance of a quantized product against the CPU primitive. Both compute, in float32,
// sums over K of products of x with scale * q + bias (the CPU as scale * (x . q) + bias *
// sum(x) per group or through its GEMM, the kernels in their own order), so each is within
// gamma = (K + 3) * 2^-24 (summation plus the decode's and product's roundings) of the
// exact value relative to sum_k |x_k| (|scale| q + |bias|), which bounds the magnitude of
// every partial sum either side forms: the difference is at most 2 gamma times that.
// float16 results are then rounded to half on both sides: one half ulp each, so 2^-10 |want|
// more (plus the smallest subnormal step for results near 0).
std::vector<double> product_tolerance(const array& x, const array& wq, const array& s, const array& b, int gs, int bits,
                                      bool transpose, const std::vector<double>& want, Dtype dtype) {
  array xa = mlx::abs(mlx::astype(x, Dtype::float32));
  array wabs = mlx::dequantize(wq, mlx::abs(mlx::astype(s, Dtype::float32)), mlx::abs(mlx::astype(b, Dtype::float32)), gs,
                               bits);
  array mag = mlx::matmul(xa, transpose ? mlx::swapaxes(wabs, -1, -2) : wabs);
  std::vector<double> m = values(mag), tol(want.size());
  const double K = double(x.shape(-1));
  const double gamma = (K + 3) * std::ldexp(1.0, -24);
  for (size_t i = 0; i < tol.size(); ++i) {
    tol[i] = 2 * gamma * m[i] * 1.0001;  // (the magnitude itself is a float32 sum)
    if (dtype == Dtype::float16) tol[i] += std::ldexp(std::fabs(want[i]), -10) + std::ldexp(1.0, -24);
  }
  return tol;
}

struct Quantized {
  array wq, s, b;
};

// W drawn in [-1, 1), quantized by the CPU primitive.
Quantized quantized_weights(mlx::Shape shape, Dtype dtype, int gs, int bits, uint32_t seed) {
  array w = input(shape, dtype, -1, 1, seed);
  auto q = mlx::quantize(w, gs, bits);
  for (auto& a : q) mlx::eval(a);
  return {q[0], q[1], q[2]};
}

// The params and grid as metal_backend.mm derives them from the primitive's operands.
::QuantParams params_of(const array& x, const array& wq, const array& s, int N, int gs, int bits, uint* batches) {
  ::QuantParams p{};
  const int K = x.shape(-1);
  int M = x.ndim() > 1 ? x.shape(-2) : 1;
  const long w_mat = long(wq.shape(-1)) * wq.shape(-2), s_mat = long(s.shape(-1)) * s.shape(-2);
  const long w_batches = long(wq.size()) / w_mat;
  long nb = long(x.size()) / (long(M) * K);
  if (w_batches == 1) {  // one W: every row of x is a row of one product
    M *= int(nb);
    nb = 1;
  }
  p.M = M;
  p.N = N;
  p.K = K;
  p.group_size = gs;
  p.bits = bits;
  p.x_batch = long(M) * K;
  p.w_batch = w_batches == 1 ? 0 : w_mat;
  p.s_batch = w_batches == 1 ? 0 : s_mat;
  *batches = uint(nb);
  return p;
}

template <typename T, int BITS>
std::vector<T> run_qmv(const array& x, const Quantized& q, const ::QuantParams& p, uint batches) {
  std::vector<T> out(size_t(batches) * p.M * p.N);
  const T* px = x.data<T>();
  const uint* pw = q.wq.data<uint32_t>();
  const T* ps = q.s.data<T>();
  const T* pb = q.b.data<T>();
  uint blocks = uint((p.N + MLX_METAL_QMV_ROWS - 1) / MLX_METAL_QMV_ROWS);
  q_rounds += metal_emu::dispatch(uint3(blocks, uint(p.M), batches), uint3(MLX_METAL_QMV_THREADS, 1, 1),
                                  [&](const Thread& t) { qmv_t<T, BITS>(px, pw, ps, pb, nullptr, nullptr, out.data(), p, t.group, t.local.x); });
  return out;
}

template <typename T, int BITS, bool TRANSPOSE>
std::vector<T> run_qmm(const array& x, const Quantized& q, const ::QuantParams& p, uint batches) {
  std::vector<T> out(size_t(batches) * p.M * p.N);
  const T* px = x.data<T>();
  const uint* pw = q.wq.data<uint32_t>();
  const T* ps = q.s.data<T>();
  const T* pb = q.b.data<T>();
  const uint tile = MLX_METAL_TILE;
  q_rounds += metal_emu::dispatch(uint3((p.N + tile - 1) / tile, (p.M + tile - 1) / tile, batches), uint3(tile, tile, 1),
                                  [&](const Thread& t) {
                                    qmm_tiled<T, BITS, TRANSPOSE>(px, pw, ps, pb, nullptr, nullptr, out.data(), p, t.group, t.local);
                                  });
  return out;
}

std::string label(const char* kernel, Dtype dtype, int bits, int gs, const array& x) {
  std::string s = std::string(kernel) + (dtype == Dtype::float16 ? " f16" : " f32") + " bits " + std::to_string(bits) +
                  " gs " + std::to_string(gs) + " x [";
  for (int d = 0; d < x.ndim(); ++d) s += (d ? "," : "") + std::to_string(x.shape(d));
  return s + "]";
}

// x [..., K] times W [N, K] (or a batch of them) quantized along K: qmv (as the host runs
// it for few rows) and the tiled qmm_t (any rows), against QuantizedMatmul's CPU kernel.
template <typename T, int BITS>
void transposed_case(Dtype dtype, int gs, const mlx::Shape& x_shape, const mlx::Shape& w_shape, uint32_t seed,
                     bool with_qmv) {
  const int N = w_shape[w_shape.size() - 2];
  Quantized q = quantized_weights(w_shape, dtype, gs, BITS, seed);
  array x = input(x_shape, dtype, -1, 1, seed + 1);
  mlx::eval(x);
  array want_a = mlx::quantized_matmul(x, q.wq, q.s, q.b, true, gs, BITS);
  std::vector<double> want = values(want_a);
  std::vector<double> tol = product_tolerance(x, q.wq, q.s, q.b, gs, BITS, true, want, dtype);
  // The kernels read x, wq, s, b with a batch of W broadcast to x's batch, as the op does.
  uint batches = 1;
  ::QuantParams p = params_of(x, q.wq, q.s, N, gs, BITS, &batches);
  CHECK_EQ(size_t(batches) * p.M * p.N, want.size());
  if (with_qmv) compare(label("qmv", dtype, BITS, gs, x), to_double(run_qmv<T, BITS>(x, q, p, batches)), want, tol);
  compare(label("qmm_t", dtype, BITS, gs, x), to_double(run_qmm<T, BITS, true>(x, q, p, batches)), want, tol);
}

// x [..., K] times W [K, N] quantized along N (K arbitrary): qmm_n.
template <typename T, int BITS>
void plain_case(Dtype dtype, int gs, const mlx::Shape& x_shape, const mlx::Shape& w_shape, uint32_t seed) {
  const int N = w_shape.back();
  Quantized q = quantized_weights(w_shape, dtype, gs, BITS, seed);
  array x = input(x_shape, dtype, -1, 1, seed + 1);
  mlx::eval(x);
  std::vector<double> want = values(mlx::quantized_matmul(x, q.wq, q.s, q.b, false, gs, BITS));
  std::vector<double> tol = product_tolerance(x, q.wq, q.s, q.b, gs, BITS, false, want, dtype);
  uint batches = 1;
  ::QuantParams p = params_of(x, q.wq, q.s, N, gs, BITS, &batches);
  CHECK_EQ(size_t(batches) * p.M * p.N, want.size());
  compare(label("qmm_n", dtype, BITS, gs, x), to_double(run_qmm<T, BITS, false>(x, q, p, batches)), want, tol);
}

// Dequantize must match bit for bit (same roundings, no sums).
template <typename T>
void dequantize_case(Dtype dtype, int gs, int bits, int rows, int groups, uint32_t seed) {
  Quantized q = quantized_weights({rows, groups * gs}, dtype, gs, bits, seed);
  std::vector<double> want = values(mlx::dequantize(q.wq, q.s, q.b, gs, bits));
  ::DequantParams p{uint(groups * gs), uint(q.wq.shape(-1)), uint(gs), uint(rows * groups * gs), bits};
  std::vector<T> out(p.total);
  const uint* pw = q.wq.data<uint32_t>();
  const T* ps = q.s.data<T>();
  const T* pb = q.b.data<T>();
  metal_emu::dispatch(uint3((p.total + 255) / 256, 1, 1), uint3(256, 1, 1), [&](const Thread& t) {
    dequantize_affine<T>(pw, ps, pb, out.data(), p, t.grid.x);
  });
  compare(label("dequantize", dtype, bits, gs, q.wq), to_double(out), want, std::vector<double>(want.size(), 0.0));
}

template <typename T, int BITS>
void all_cases(Dtype dtype, uint32_t seed) {
  for (int gs : {32, 64, 128}) {
    seed += 10;
    const int K = 2 * gs;
    // Decoding: one row; a few rows with batch axes; N not a multiple of QMV_ROWS or TILE.
    transposed_case<T, BITS>(dtype, gs, {1, K}, {37, K}, seed, true);
    transposed_case<T, BITS>(dtype, gs, {2, 3, K}, {21, K}, seed + 2, true);
    // Prompt-like: rows across two tiles.
    transposed_case<T, BITS>(dtype, gs, {19, K}, {18, K}, seed + 4, false);
    // A batch of weights (3-D W), x's batch the same.
    transposed_case<T, BITS>(dtype, gs, {2, 5, K}, {2, 9, K}, seed + 6, true);
    // W [K, N]: N a multiple of the group size, K not of the tile or the step.
    plain_case<T, BITS>(dtype, gs, {1, 37}, {37, gs}, seed + 8);
    plain_case<T, BITS>(dtype, gs, {2, 9, 45}, {45, 2 * gs}, seed + 9);
    plain_case<T, BITS>(dtype, gs, {2, 3, 20}, {2, 20, gs}, seed + 3);
    dequantize_case<T>(dtype, gs, BITS, 3, 3, seed + 5);
  }
}

template <typename T>
void every_bits(Dtype dtype) {
  all_cases<T, 2>(dtype, 100);
  all_cases<T, 3>(dtype, 200);
  all_cases<T, 4>(dtype, 300);
  all_cases<T, 5>(dtype, 400);
  all_cases<T, 6>(dtype, 500);
  all_cases<T, 8>(dtype, 600);
}

}  // namespace

TEST(metal_quantized_kernels_match_the_cpu_float32) { every_bits<float>(Dtype::float32); }

TEST(metal_quantized_kernels_match_the_cpu_float16) { every_bits<half>(Dtype::float16); }

// The codes of 3, 5 and 6 bits straddle words: a stream with one known code per position
// (code j = j mod 2^bits) read back by qcode at every j.
TEST(metal_qcode_reads_codes_across_word_boundaries) {
  for (int bits : {2, 3, 4, 5, 6, 8}) {
    const int n = 64;
    std::vector<uint32_t> words(size_t(n * bits / 32) + 1, 0);
    for (int j = 0; j < n; ++j) {
      uint64_t code = uint64_t(j % (1 << bits));
      int bit = j * bits;
      words[size_t(bit / 32)] |= uint32_t(code << (bit % 32));
      if (bit % 32 + bits > 32) words[size_t(bit / 32) + 1] |= uint32_t(code >> (32 - bit % 32));
    }
    for (int j = 0; j < n; ++j) CHECK_EQ(qcode(words.data(), uint(j), bits), uint(j % (1 << bits)));
  }
}

// ---- the floating-point modes -------------------------------------------------------------

namespace {

struct FpQuantized {
  array wq, s;
};

FpQuantized fp_weights(mlx::Shape shape, Dtype dtype, const char* mode, uint32_t seed) {
  array w = input(shape, dtype, -3, 3, seed);
  auto q = mlx::quantize(w, std::nullopt, std::nullopt, mode);
  for (auto& a : q) mlx::eval(a);
  return {q[0], q[1]};
}

// The weights are exact in float32 on both sides (value * scale, two short binary
// fractions), so only the sums differ: 2 (K + 1) 2^-24 sum |x| |w|, plus one half ulp
// each side for float16 results.
std::vector<double> fp_tolerance(const array& x, const FpQuantized& q, const char* mode, bool transpose,
                                 const std::vector<double>& want, Dtype dtype) {
  array wabs = mlx::abs(mlx::dequantize(q.wq, q.s, std::nullopt, std::nullopt, std::nullopt, mode, Dtype::float32));
  array mag = mlx::matmul(mlx::abs(mlx::astype(x, Dtype::float32)), transpose ? mlx::swapaxes(wabs, -1, -2) : wabs);
  std::vector<double> m = values(mag), tol(want.size());
  const double gamma = (double(x.shape(-1)) + 1) * std::ldexp(1.0, -24);
  for (size_t i = 0; i < tol.size(); ++i) {
    tol[i] = 2 * gamma * m[i] * 1.0001;
    if (dtype == Dtype::float16) tol[i] += std::ldexp(std::fabs(want[i]), -10) + std::ldexp(1.0, -24);
  }
  return tol;
}

template <typename T, int BITS, int GS>
void fp_product_case(Dtype dtype, const char* mode, bool transpose, const mlx::Shape& x_shape,
                     const mlx::Shape& w_shape, uint32_t seed) {
  FpQuantized q = fp_weights(w_shape, dtype, mode, seed);
  array x = input(x_shape, dtype, -1, 1, seed + 1);
  mlx::eval(x);
  std::vector<double> want =
      values(mlx::quantized_matmul(x, q.wq, q.s, std::nullopt, transpose, std::nullopt, std::nullopt, mode));
  std::vector<double> tol = fp_tolerance(x, q, mode, transpose, want, dtype);
  const int N = transpose ? w_shape[w_shape.size() - 2] : w_shape.back();
  uint batches = 1;
  ::QuantParams p = params_of(x, q.wq, q.s, N, GS, BITS, &batches);
  CHECK_EQ(size_t(batches) * p.M * p.N, want.size());
  std::vector<T> out(want.size());
  const T* px = x.data<T>();
  const uint* pw = q.wq.data<uint32_t>();
  const uchar* ps = q.s.data<uint8_t>();
  std::string what = std::string(mode) + (dtype == Dtype::float16 ? " f16" : " f32") + " x [" +
                     std::to_string(x.size() / x_shape.back()) + "," + std::to_string(x_shape.back()) + "] N " +
                     std::to_string(N);
  const uint tile = MLX_METAL_TILE;
  if (transpose && p.M <= 8) {
    uint blocks = uint((p.N + MLX_METAL_QMV_ROWS - 1) / MLX_METAL_QMV_ROWS);
    q_rounds += metal_emu::dispatch(uint3(blocks, uint(p.M), batches), uint3(MLX_METAL_QMV_THREADS, 1, 1),
                                    [&](const Thread& t) { qmv_fp_t<T, BITS, GS>(px, pw, ps, nullptr, nullptr, out.data(), p, t.group, t.local.x); });
    compare("qmv " + what, to_double(out), want, tol);
  }
  q_rounds += metal_emu::dispatch(uint3((p.N + tile - 1) / tile, (p.M + tile - 1) / tile, batches), uint3(tile, tile, 1),
                                  [&](const Thread& t) {
                                    if (transpose) qmm_fp_tiled<T, BITS, GS, true>(px, pw, ps, nullptr, nullptr, out.data(), p, t.group, t.local);
                                    else qmm_fp_tiled<T, BITS, GS, false>(px, pw, ps, nullptr, nullptr, out.data(), p, t.group, t.local);
                                  });
  compare((transpose ? "qmm_t " : "qmm_n ") + what, to_double(out), want, tol);
}

template <typename T, int BITS, int GS>
void fp_dequantize_case(Dtype dtype, const char* mode, int rows, int groups, uint32_t seed) {
  FpQuantized q = fp_weights({rows, groups * GS}, dtype, mode, seed);
  std::vector<double> want = values(mlx::dequantize(q.wq, q.s, std::nullopt, std::nullopt, std::nullopt, mode, dtype));
  ::DequantParams p{uint(groups * GS), uint(q.wq.shape(-1)), uint(GS), uint(rows * groups * GS), BITS};
  std::vector<T> out(p.total);
  const uint* pw = q.wq.data<uint32_t>();
  const uchar* ps = q.s.data<uint8_t>();
  metal_emu::dispatch(uint3((p.total + 255) / 256, 1, 1), uint3(256, 1, 1), [&](const Thread& t) {
    dequantize_fp<T, BITS, GS>(pw, ps, out.data(), p, t.grid.x);
  });
  compare(std::string("dequantize ") + mode + (dtype == Dtype::float16 ? " f16" : " f32"), to_double(out), want,
          std::vector<double>(want.size(), 0.0));
}

template <typename T, int BITS, int GS>
void fp_cases(Dtype dtype, const char* mode, uint32_t seed) {
  const int K = 3 * GS;  // nvfp4: 48, not a multiple of the 32-deep step
  fp_product_case<T, BITS, GS>(dtype, mode, true, {1, K}, {37, K}, seed);
  fp_product_case<T, BITS, GS>(dtype, mode, true, {2, 3, K}, {21, K}, seed + 2);
  fp_product_case<T, BITS, GS>(dtype, mode, true, {19, K}, {18, K}, seed + 4);
  fp_product_case<T, BITS, GS>(dtype, mode, true, {2, 5, K}, {2, 9, K}, seed + 6);
  fp_product_case<T, BITS, GS>(dtype, mode, false, {1, 37}, {37, 2 * GS}, seed + 8);
  fp_product_case<T, BITS, GS>(dtype, mode, false, {2, 9, 45}, {45, 3 * GS}, seed + 10);
  fp_product_case<T, BITS, GS>(dtype, mode, false, {2, 3, 20}, {2, 20, GS}, seed + 12);
  fp_dequantize_case<T, BITS, GS>(dtype, mode, 3, 5, seed + 14);
}

}  // namespace

TEST(metal_quantized_fp_kernels_match_the_cpu) {
  fp_cases<float, 4, 32>(Dtype::float32, "mxfp4", 700);
  fp_cases<float, 8, 32>(Dtype::float32, "mxfp8", 720);
  fp_cases<float, 4, 16>(Dtype::float32, "nvfp4", 740);
  fp_cases<half, 4, 32>(Dtype::float16, "mxfp4", 760);
  fp_cases<half, 8, 32>(Dtype::float16, "mxfp8", 780);
  fp_cases<half, 4, 16>(Dtype::float16, "nvfp4", 800);
}

// The formats' decoders against their definitions at every code (docs/quantization.md).
TEST(metal_fp_decoders_match_the_formats) {
  const float e2m1[8] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  for (uint c = 0; c < 16; ++c) CHECK_EQ(e2m1_value(c), (c & 8) ? -e2m1[c & 7] : e2m1[c & 7]);
  for (uint c = 0; c < 256; ++c) {
    uint e = (c >> 3) & 15, m = c & 7;
    double v = e == 0 ? std::ldexp(double(m), -9) : std::ldexp(1.0 + m / 8.0, int(e) - 7);
    CHECK_EQ(double(e4m3_value(c)), (c & 0x80) ? -v : v);
    CHECK_EQ(e8m0_value(c), std::ldexp(1.0f, c == 0 ? -127 : int(c) - 127));  // 255: inf in float
  }
  CHECK_EQ(e4m3_value(0x7f), 480.0f);
  CHECK_EQ(e4m3_value(0x7e), 448.0f);
}

// ---- GatherQMM --------------------------------------------------------------------------------

namespace {

// out[i] = x[lhs[i]] @ W[rhs[i]] (.T) with x [3, M, K] and 4 quantized matrices W, as
// metal_backend.mm's eval_gather_qmm dispatches it (gather = 1, one output matrix per
// z, the indices in a buffer), against GatherQMM's CPU kernel. Affine when GS == 0.
template <typename T, int BITS, int GS>
void gather_case(Dtype dtype, const char* mode, int gs, bool transpose, int M, uint32_t seed) {
  const bool affine = GS == 0;
  const int K = transpose ? 2 * gs : 21, N = transpose ? 13 : 2 * gs;
  array x = input({3, M, K}, dtype, -1, 1, seed);
  array w = input(transpose ? mlx::Shape{4, N, K} : mlx::Shape{4, K, N}, dtype, -1, 1, seed + 1);
  auto q = affine ? mlx::quantize(w, gs, BITS) : mlx::quantize(w, std::nullopt, std::nullopt, mode);
  for (auto& a : q) mlx::eval(a);
  std::optional<array> b = affine ? std::optional<array>(q[2]) : std::nullopt;
  const std::vector<uint32_t> li = {2, 0, 2, 1, 0}, ri = {3, 3, 0, 1, 2};
  array lhs = array::from_vector<uint32_t>(li, {5}), rhs = array::from_vector<uint32_t>(ri, {5});
  std::optional<int> g = affine ? std::optional<int>(gs) : std::nullopt, bb = affine ? std::optional<int>(BITS) : std::nullopt;
  std::vector<double> want = values(mlx::gather_qmm(x, q[0], q[1], b, lhs, rhs, transpose, g, bb, mode));
  // Tolerance as product_tolerance: sum |x| (|scale| q + |bias|) (or |w|), by loops here.
  array wabs = affine ? mlx::dequantize(q[0], mlx::abs(q[1]), mlx::abs(*b), gs, BITS, "affine", Dtype::float32)
                      : mlx::abs(mlx::dequantize(q[0], q[1], std::nullopt, std::nullopt, std::nullopt, mode, Dtype::float32));
  std::vector<double> xv = values(x), wv = values(wabs), tol(want.size());
  const double gamma = (double(K) + 3) * std::ldexp(1.0, -24);
  for (int i = 0; i < 5; ++i)
    for (int m = 0; m < M; ++m)
      for (int n = 0; n < N; ++n) {
        double mag = 0;
        for (int k = 0; k < K; ++k) {
          double wa = transpose ? wv[(size_t(ri[i]) * N + n) * K + k] : wv[(size_t(ri[i]) * K + k) * N + n];
          mag += std::fabs(xv[(size_t(li[i]) * M + m) * K + k]) * wa;
        }
        size_t o = (size_t(i) * M + m) * N + n;
        tol[o] = 2 * gamma * mag * 1.0001;
        if (dtype == Dtype::float16) tol[o] += std::ldexp(std::fabs(want[o]), -10) + std::ldexp(1.0, -24);
      }
  ::QuantParams p{};
  p.M = M;
  p.N = N;
  p.K = K;
  p.group_size = gs;
  p.bits = BITS;
  p.gather = 1;
  p.x_batch = long(M) * K;
  p.w_batch = long(q[0].shape(-1)) * q[0].shape(-2);
  p.s_batch = long(q[1].shape(-1)) * q[1].shape(-2);
  std::vector<T> out(want.size());
  const T* px = x.data<T>();
  const uint* pw = q[0].data<uint32_t>();
  const uint* pl = li.data();
  const uint* pr = ri.data();
  const bool qmv = transpose && M <= 8;
  const uint tile = MLX_METAL_TILE;
  uint3 groups = qmv ? uint3(uint((N + MLX_METAL_QMV_ROWS - 1) / MLX_METAL_QMV_ROWS), uint(M), 5)
                     : uint3(uint((N + tile - 1) / tile), uint((M + tile - 1) / tile), 5);
  uint3 threads = qmv ? uint3(MLX_METAL_QMV_THREADS, 1, 1) : uint3(tile, tile, 1);
  q_rounds += metal_emu::dispatch(groups, threads, [&](const Thread& t) {
    if constexpr (GS == 0) {
      const T* ps = q[1].data<T>();
      const T* pb = b->data<T>();
      if (qmv) qmv_t<T, BITS>(px, pw, ps, pb, pl, pr, out.data(), p, t.group, t.local.x);
      else if (transpose) qmm_tiled<T, BITS, true>(px, pw, ps, pb, pl, pr, out.data(), p, t.group, t.local);
      else qmm_tiled<T, BITS, false>(px, pw, ps, pb, pl, pr, out.data(), p, t.group, t.local);
    } else {
      const uchar* ps = q[1].data<uint8_t>();
      if (qmv) qmv_fp_t<T, BITS, GS>(px, pw, ps, pl, pr, out.data(), p, t.group, t.local.x);
      else if (transpose) qmm_fp_tiled<T, BITS, GS, true>(px, pw, ps, pl, pr, out.data(), p, t.group, t.local);
      else qmm_fp_tiled<T, BITS, GS, false>(px, pw, ps, pl, pr, out.data(), p, t.group, t.local);
    }
  });
  std::string what = std::string("gather_qmm ") + (qmv ? "qmv " : transpose ? "qmm_t " : "qmm_n ") + mode +
                     (dtype == Dtype::float16 ? " f16" : " f32") + " bits " + std::to_string(BITS) + " M " +
                     std::to_string(M);
  compare(what, to_double(out), want, tol);
}

template <typename T, int BITS, int GS>
void gather_cases(Dtype dtype, const char* mode, int gs, uint32_t seed) {
  gather_case<T, BITS, GS>(dtype, mode, gs, true, 1, seed);        // decoding: qmv
  gather_case<T, BITS, GS>(dtype, mode, gs, true, 11, seed + 2);   // qmm_t
  gather_case<T, BITS, GS>(dtype, mode, gs, false, 3, seed + 4);   // qmm_n
}

}  // namespace

TEST(metal_gather_qmm_kernels_match_the_cpu) {
  gather_cases<float, 4, 0>(Dtype::float32, "affine", 64, 900);
  gather_cases<float, 3, 0>(Dtype::float32, "affine", 32, 910);
  gather_cases<half, 6, 0>(Dtype::float16, "affine", 128, 920);
  gather_cases<float, 4, 16>(Dtype::float32, "nvfp4", 16, 930);
  gather_cases<half, 8, 32>(Dtype::float16, "mxfp8", 32, 940);
}

TEST(metal_quantized_emulation_reports_its_counts) {
  std::printf("  metal emulation (quantized): %d kernel runs compared with the CPU primitives, %zu barrier rounds\n",
              q_kernels, q_rounds);
  CHECK(q_kernels >= 2 * 6 * 3 * 10 + 2 * 3 * 10);
  CHECK(q_rounds > 0);
}

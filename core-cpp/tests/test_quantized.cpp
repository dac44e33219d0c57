// The affine quantization kernels against the definition: MLX's per-group rule written out
// here in float32, codes packed bit by bit into the expected words (element 0 in the lowest
// bits, codes straddling words for 3, 5 and 6 bits), dequantize as scale * q + bias, and
// quantized_matmul (both layouts, vector and matrix x, odd output counts) against a float64
// loop over the dequantized weights.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "ops.h"
#include "test_data.h"
#include "transforms/eval_grad.h"

using namespace mlx;

namespace {

struct Expected {
  std::vector<uint32_t> words;
  std::vector<float> scales, biases, codes;
};

// MLX's affine rule for rows of `k` values, packed from the codes one bit at a time.
Expected reference(const std::vector<float>& w, int k, int gs, int bits) {
  Expected e;
  size_t rows = w.size() / size_t(k);
  e.words.assign(rows * size_t(k) * bits / 32, 0u);
  float n_bins = float((1 << bits) - 1);
  for (size_t g = 0; g < w.size() / size_t(gs); ++g) {
    float mn = w[g * gs], mx = w[g * gs];
    for (int j = 0; j < gs; ++j) mn = std::fmin(mn, w[g * gs + j]), mx = std::fmax(mx, w[g * gs + j]);
    bool min_edge = std::fabs(mn) > std::fabs(mx);
    float scale = std::fmax((mx - mn) / n_bins, 1e-7f);
    if (!min_edge) scale = -scale;
    float edge = min_edge ? mn : mx;
    float q0 = std::nearbyint(edge / scale);
    float bias = 0;
    if (q0 != 0) scale = edge / q0, bias = edge;
    e.scales.push_back(scale);
    e.biases.push_back(bias);
    for (int j = 0; j < gs; ++j) {
      float q = std::fmin(std::fmax(std::nearbyint((w[g * gs + j] - bias) / scale), 0.f), n_bins);
      e.codes.push_back(q);
      size_t elem = g * gs + j, row = elem / size_t(k), col = elem % size_t(k);
      for (int t = 0; t < bits; ++t) {
        size_t bit = col * bits + t;  // position in the row's bit stream
        if ((uint32_t(q) >> t) & 1u) e.words[row * (size_t(k) * bits / 32) + bit / 32] |= 1u << (bit % 32);
      }
    }
  }
  return e;
}

}  // namespace

TEST(quantize_matches_the_affine_rule_bit_for_bit) {
  const int k = 256, rows = 3;
  std::vector<float> w = lcg_values(size_t(rows * k), 11);
  for (int gs : {32, 64, 128}) {
    for (int bits : {2, 3, 4, 5, 6, 8}) {
      Expected e = reference(w, k, gs, bits);
      auto q = quantize(array::from_vector(w, {rows, k}), gs, bits);
      eval(q);
      CHECK_EQ(q[0].shape(-1), k * bits / 32);
      const uint32_t* words = q[0].data<uint32_t>();
      bool same = true;
      for (size_t i = 0; i < e.words.size(); ++i) same = same && words[i] == e.words[i];
      for (size_t i = 0; i < e.scales.size(); ++i) {
        same = same && q[1].data<float>()[i] == e.scales[i] && q[2].data<float>()[i] == e.biases[i];
      }
      if (!same) std::cerr << "  gs " << gs << " bits " << bits << "\n";
      CHECK(same);
      array d = dequantize(q[0], q[1], q[2], gs, bits);
      eval(d);
      bool close = true;
      for (size_t i = 0; i < w.size(); ++i) {
        float want = e.codes[i] * e.scales[i / gs] + e.biases[i / gs];
        close = close && d.data<float>()[i] == want;
      }
      CHECK(close);
    }
  }
}

TEST(quantize_a_ramp_gives_known_codes) {
  // 0..31 in one group at 5 bits: the maximum (31) is the edge, scale -1, bias 31, code 31 - j.
  std::vector<float> w(32);
  for (int j = 0; j < 32; ++j) w[j] = float(j);
  auto q = quantize(array::from_vector(w, {1, 32}), 32, 5);
  eval(q);
  CHECK_EQ(q[1].data<float>()[0], -1.0f);
  CHECK_EQ(q[2].data<float>()[0], 31.0f);
  const uint32_t* words = q[0].data<uint32_t>();
  for (int j = 0; j < 32; ++j) {
    uint64_t lo = words[(j * 5) / 32], hi = (j * 5) / 32 + 1 < 5 ? words[(j * 5) / 32 + 1] : 0;
    uint32_t code = uint32_t(((hi << 32 | lo) >> ((j * 5) % 32)) & 31u);
    CHECK_EQ(code, uint32_t(31 - j));
  }
}

TEST(quantized_matmul_matches_a_loop_over_the_dequantized_weights) {
  for (bool transpose : {true, false}) {
    for (int bits : {3, 4, 8}) {
      for (int m : {1, 5}) {
        const int gs = 32, kdim = 96, n = transpose ? 13 : 64;
        int wr = transpose ? n : kdim, wc = transpose ? kdim : n;  // the quantized matrix's layout
        std::vector<float> w = lcg_values(size_t(wr * wc), 7), x = lcg_values(size_t(m * kdim), 9);
        auto q = quantize(array::from_vector(w, {wr, wc}), gs, bits);
        array wd = dequantize(q[0], q[1], q[2], gs, bits);
        array y = quantized_matmul(array::from_vector(x, {m, kdim}), q[0], q[1], q[2], transpose, gs, bits);
        eval(wd);
        eval(y);
        const float* W = wd.data<float>();
        bool ok = true;
        for (int i = 0; i < m; ++i) {
          for (int j = 0; j < n; ++j) {
            double s = 0, mag = 0;
            for (int c = 0; c < kdim; ++c) {
              double p = double(x[i * kdim + c]) * (transpose ? W[j * kdim + c] : W[c * n + j]);
              s += p;
              mag += std::fabs(p);
            }
            ok = ok && std::fabs(y.data<float>()[i * n + j] - s) <= 1e-5 * mag + 1e-6;
          }
        }
        if (!ok) std::cerr << "  transpose " << transpose << " bits " << bits << " m " << m << "\n";
        CHECK(ok);
      }
    }
  }
}

namespace {

// Checks quantized_matmul of an m x kdim x against the dequantized weights through a float64
// loop; the weights are [n, kdim] (transpose) or [kdim, n].
bool matmul_close(bool transpose, int bits, int gs, int m, int kdim, int n) {
  int wr = transpose ? n : kdim, wc = transpose ? kdim : n;
  std::vector<float> w = lcg_values(size_t(wr * wc), 17 + bits), x = lcg_values(size_t(m * kdim), 19 + m);
  auto q = quantize(array::from_vector(w, {wr, wc}), gs, bits);
  array wd = dequantize(q[0], q[1], q[2], gs, bits);
  array y = quantized_matmul(array::from_vector(x, {m, kdim}), q[0], q[1], q[2], transpose, gs, bits);
  eval(wd);
  eval(y);
  const float* W = wd.data<float>();
  bool ok = true;
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double s = 0, mag = 0;
      for (int c = 0; c < kdim; ++c) {
        double p = double(x[i * kdim + c]) * (transpose ? W[j * kdim + c] : W[c * n + j]);
        s += p;
        mag += std::fabs(p);
      }
      ok = ok && std::fabs(y.data<float>()[i * n + j] - s) <= 1e-5 * mag + 1e-6;
    }
  }
  if (!ok) {
    std::cerr << "  transpose " << transpose << " bits " << bits << " gs " << gs << " m " << m << " k " << kdim
              << " n " << n << "\n";
  }
  return ok;
}

}  // namespace

TEST(quantized_matmul_edge_shapes_of_the_vector_and_tiled_kernels) {
  // Rows 1..9 cross from the matrix-vector kernels (up to 8 rows, in blocks of 4) to the
  // tiled GEMM; K = one group; n not a multiple of the GEMM's 8-column panels (transpose)
  // or of the 256-column tiles of the x @ W kernel; K = 640 crosses the GEMM's 512 depth.
  // Groups of 256 bits or more (4-bit gs 64, 8-bit gs 32) take the 8-lane AVX2 loop on x86-64.
  bool ok = true;
  for (bool transpose : {true, false}) {
    for (int bits : {2, 3, 4, 8}) {
      for (int gs : {32, 64, 128}) {
        for (int m = 1; m <= 9; ++m) ok = matmul_close(transpose, bits, gs, m, gs, transpose ? 13 : 3 * gs) && ok;
        ok = matmul_close(transpose, bits, gs, 3, 640, transpose ? 21 : 3 * gs) && ok;
        ok = matmul_close(transpose, bits, gs, 12, 640, transpose ? 21 : 3 * gs) && ok;
      }
    }
  }
  CHECK(ok);
}

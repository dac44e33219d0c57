// The FFT kernel against a naive DFT (in long double): every length 1..64 (Stockham radices
// 2, 3, 4, 5, 7 and Bluestein for the rest), large primes and mixed lengths, forward and
// inverse; then the kernel through the op on a strided 2-D input, rfft/irfft half spectra.
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "check.h"
#include "backend/cpu/fft.h"
#include "ops.h"
#include "ops/fft.h"
#include "transforms/eval_grad.h"

using namespace mlx;
using fft_detail::cplx;

namespace {

std::vector<cplx> random_line(int64_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<cplx> v(n);
  for (auto& x : v) x = {u(gen), u(gen)};
  return v;
}

std::vector<std::complex<long double>> naive_dft(const std::vector<cplx>& x, bool inverse) {
  const int64_t n = x.size();
  const long double pi = 3.141592653589793238462643383279502884L;
  std::vector<std::complex<long double>> out(n);
  for (int64_t k = 0; k < n; ++k) {
    std::complex<long double> acc = 0;
    for (int64_t j = 0; j < n; ++j) {
      long double a = (inverse ? 2 : -2) * pi * static_cast<long double>((j * k) % n) / n;
      acc += std::complex<long double>(x[j].re, x[j].im) * std::complex<long double>(std::cos(a), std::sin(a));
    }
    out[k] = acc;
  }
  return out;
}

// Max |kernel - naive| relative to the largest naive magnitude.
double kernel_error(int64_t n, bool inverse, unsigned seed) {
  auto x = random_line(n, seed);
  auto want = naive_dft(x, inverse);
  auto got = x;
  fft_detail::transform(got.data(), n, inverse);
  long double err = 0, scale = 1e-30L;
  for (int64_t k = 0; k < n; ++k) {
    scale = std::max(scale, std::abs(want[k]));
    err = std::max(err, std::abs(std::complex<long double>(got[k].re, got[k].im) - want[k]));
  }
  return static_cast<double>(err / scale);
}

}  // namespace

TEST(fft_kernel_matches_naive_dft_1_to_64) {
  for (int64_t n = 1; n <= 64; ++n) {
    for (bool inv : {false, true}) {
      double e = kernel_error(n, inv, static_cast<unsigned>(n));
      if (!(e < 1e-13)) CHECK_NEAR(e, 0.0, 1e-13);
    }
  }
}

TEST(fft_kernel_large_primes_and_mixed) {
  // 1009, 2053, 4099: primes (Bluestein through 2048, 8192, 16384 points); the others mix
  // every Stockham radix or a large prime factor.
  for (int64_t n : {1009, 2053, 4099, 2 * 3 * 5 * 7 * 4, 3 * 3 * 3 * 3 * 3 * 3, 2 * 1031}) {
    double e = kernel_error(n, false, 7);
    CHECK_NEAR(e, 0.0, 1e-12);
    e = kernel_error(n, true, 8);
    CHECK_NEAR(e, 0.0, 1e-12);
  }
}

TEST(fft_kernel_plans) {
  CHECK(fft_detail::radices(64) == std::vector<int>({4, 4, 4}));
  CHECK(fft_detail::radices(30) == std::vector<int>({2, 3, 5}));
  CHECK(fft_detail::radices(97).empty());  // Bluestein
  CHECK(fft_detail::radices(2 * 11).empty());
}

TEST(fft_op_strided_axes_and_real_halves) {
  // A transposed (strided) 2-D input, transformed along axis 0, checked column by column
  // against the 1-D kernel.
  const int rows = 12, cols = 5;
  std::vector<complex64_t> v;
  auto line = random_line(rows * cols, 3);
  for (auto& c : line) v.emplace_back(static_cast<float>(c.re), static_cast<float>(c.im));
  array a = transpose(array::from_vector(v, {cols, rows}, Dtype::complex64), std::vector<int>{1, 0});  // [rows, cols]
  array f = fft::fftn(a, std::nullopt, std::vector<int>{0});
  eval(f);
  for (int c = 0; c < cols; ++c) {
    std::vector<cplx> col(rows);
    for (int r = 0; r < rows; ++r) col[r] = {v[c * rows + r].real(), v[c * rows + r].imag()};
    fft_detail::transform(col.data(), rows, false);
    for (int r = 0; r < rows; ++r) {
      complex64_t got = f.data<complex64_t>()[r * cols + c];
      CHECK_NEAR(got.real(), col[r].re, 1e-4);
      CHECK_NEAR(got.imag(), col[r].im, 1e-4);
    }
  }
  // rfft of 7 real values keeps 4; irfft with n = 7 gives the values back.
  std::vector<float> x = {1, -2, 3.5f, 0.25f, -1, 2, 0.5f};
  array xr = array::from_vector(x, {7}, Dtype::float32);
  array h = fft::rfftn(xr);
  CHECK_EQ(h.shape(0), 4);
  array back = fft::irfftn(h, Shape{7}, std::vector<int>{0});
  eval(back);
  CHECK_EQ(back.shape(0), 7);
  for (int i = 0; i < 7; ++i) CHECK_NEAR(back.data<float>()[i], x[i], 1e-5);
}

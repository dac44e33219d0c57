#include "hadamard.h"

#include <cstring>
#include <stdexcept>
#include <vector>

#include "allocator.h"
#include "copy.h"
#include "dispatch.h"

namespace mlx {

namespace {

// Rows of the order-12, -20 and -28 Hadamard matrices ('+' = 1, '-' = -1), as tabulated
// in Sloane's library (the ones MLX's transform uses, so results match it).
const char* const kH12[] = {
    "+-++++++++++", "--+-+-+-+-+-", "+++-++----++", "+---+--+-++-", "+++++-++----", "+-+---+--+-+",
    "++--+++-++--", "+--++---+--+", "++----+++-++", "+--+-++---+-", "++++----+++-", "+-+--+-++---",
};
const char* const kH20[] = {
    "+----+----++--++-++-", "-+----+---+++---+-++", "--+----+---+++-+-+-+", "---+----+---+++++-+-",
    "----+----++--++-++-+", "-+++++-----+--+++--+", "+-+++-+---+-+--+++--", "++-++--+---+-+--+++-",
    "+++-+---+---+-+--+++", "++++-----++--+-+--++", "--++-+-++-+-----++++", "---++-+-++-+---+-+++",
    "+---++-+-+--+--++-++", "++---++-+----+-+++-+", "-++---++-+----+++++-", "-+--+--++-+----+----",
    "+-+-----++-+----+---", "-+-+-+---+--+----+--", "--+-+++------+----+-", "+--+--++------+----+",
};
const char* const kH28[] = {
    "+------++----++-+--+-+--++--", "-+-----+++-----+-+--+-+--++-", "--+-----+++---+-+-+----+--++",
    "---+-----+++---+-+-+-+--+--+", "----+-----+++---+-+-+++--+--", "-----+-----++++--+-+--++--+-",
    "------++----++-+--+-+--++--+", "--++++-+-------++--+++-+--+-", "---++++-+-----+-++--+-+-+--+",
    "+---+++--+----++-++--+-+-+--", "++---++---+----++-++--+-+-+-", "+++---+----+----++-++--+-+-+",
    "++++--------+-+--++-++--+-+-", "-++++--------+++--++--+--+-+", "-+-++-++--++--+--------++++-",
    "+-+-++--+--++--+--------++++", "-+-+-++--+--++--+----+---+++", "+-+-+-++--+--+---+---++---++",
    "++-+-+-++--+------+--+++---+", "-++-+-+-++--+------+-++++---", "+-++-+---++--+------+-++++--",
    "-++--++-+-++-+++----++------", "+-++--++-+-++-+++-----+-----", "++-++---+-+-++-+++-----+----",
    "-++-++-+-+-+-+--+++-----+---", "--++-++++-+-+----+++-----+--", "+--++-+-++-+-+----+++-----+-",
    "++--++-+-++-+-+----++------+",
};

const char* const* matrix_rows(int m) { return m == 12 ? kH12 : m == 20 ? kH20 : kH28; }

bool power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

// One row of n2 * m values in compute type C: the butterflies of H_{2^k} on each of the m
// contiguous blocks of n2, then H_m across the blocks (element j*n2 + i mixes over j).
template <typename C>
void transform_row(C* x, int n2, int m, C scale, bool transposed, std::vector<C>& tmp) {
  for (int b = 0; b < m; ++b) {
    C* p = x + size_t(b) * n2;
    for (int h = 1; h < n2; h <<= 1) {
      for (int i = 0; i < n2; i += 2 * h) {
        for (int j = i; j < i + h; ++j) {
          C u = p[j], v = p[j + h];
          p[j] = u + v;
          p[j + h] = u - v;
        }
      }
    }
  }
  if (m > 1) {
    const char* const* rows = matrix_rows(m);
    for (int i = 0; i < n2; ++i) {
      for (int r = 0; r < m; ++r) {
        C acc = 0;
        for (int c = 0; c < m; ++c) {
          char sign = transposed ? rows[c][r] : rows[r][c];
          acc += sign == '+' ? x[size_t(c) * n2 + i] : -x[size_t(c) * n2 + i];
        }
        tmp[r] = acc;
      }
      for (int r = 0; r < m; ++r) x[size_t(r) * n2 + i] = tmp[r];
    }
  }
  for (int i = 0; i < n2 * m; ++i) x[i] *= scale;
}

}  // namespace

std::pair<int, int> decompose_hadamard(int n) {
  int m = 1;
  if (!power_of_two(n)) {
    for (int f : {12, 20, 28}) {
      if (n % f == 0 && power_of_two(n / f)) {
        m = f;
        break;
      }
    }
    if (m == 1) throw std::invalid_argument("[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).");
  }
  int n2 = n / m;
  if (n2 > (1 << 26)) throw std::invalid_argument("[hadamard] Only supports n = m*2^k where k <= 26");
  return {n2, m};
}

void hadamard_eval(const array& in, array& out, double scale, bool transposed) {
  out.set_data(allocator::malloc(out.nbytes()));
  copy_general(in, out);
  if (out.size() == 0) return;
  int n = out.shape(-1);
  std::pair<int, int> nm = decompose_hadamard(n);
  const int n2 = nm.first, m = nm.second;
  size_t rows = out.size() / size_t(n);
  dispatch_floating(out.dtype(), "hadamard_transform", [&](auto t) {
    using T = typename decltype(t)::type;
    using C = compute_t<T>;
    std::vector<C> row(n), tmp(m);
    T* data = out.data<T>();
    for (size_t r = 0; r < rows; ++r) {
      T* p = data + r * size_t(n);
      for (int i = 0; i < n; ++i) row[i] = C(p[i]);
      transform_row<C>(row.data(), n2, m, C(scale), transposed, tmp);
      for (int i = 0; i < n; ++i) p[i] = T(row[i]);
    }
  });
}

}  // namespace mlx

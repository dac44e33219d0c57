// Strided iteration shared by every kernel family: walks the elements of a shape in row
// order for several operands at once, each with its own strides, handing the innermost
// run to a callback so the hot loop stays a plain counted loop.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "array.h"

namespace mlx {

// Merges adjacent axes that are laid out as one for every operand and drops size-1 axes.
template <size_t N>
void collapse_axes(Shape& shape, std::array<Strides, N>& strides) {
  Shape s;
  std::array<Strides, N> st;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    bool merge = !s.empty();
    for (size_t k = 0; merge && k < N; ++k) {
      merge = st[k].back() == strides[k][i] * shape[i];
    }
    if (merge) {
      s.back() *= shape[i];
      for (size_t k = 0; k < N; ++k) st[k].back() = strides[k][i];
    } else {
      s.push_back(shape[i]);
      for (size_t k = 0; k < N; ++k) st[k].push_back(strides[k][i]);
    }
  }
  shape = std::move(s);
  strides = std::move(st);
}

// Calls inner(offsets, n, inner_strides) for every innermost run: `offsets[k]` is the
// element offset of operand k at the start of the run, the run has n elements and
// operand k advances by inner_strides[k] per element.
template <size_t N, typename F>
void strided_loop(Shape shape, std::array<Strides, N> strides, F&& inner) {
  for (auto d : shape) {
    if (d == 0) return;
  }
  collapse_axes(shape, strides);
  std::array<int64_t, N> offs{};
  std::array<int64_t, N> inner_strides{};
  if (shape.empty()) {
    inner(offs, int64_t(1), inner_strides);
    return;
  }
  int nd = static_cast<int>(shape.size());
  for (size_t k = 0; k < N; ++k) inner_strides[k] = strides[k][nd - 1];
  int64_t n = shape[nd - 1];
  std::vector<int32_t> idx(nd, 0);
  while (true) {
    inner(offs, n, inner_strides);
    // Advance the outer index (all axes but the last) like an odometer.
    int ax = nd - 2;
    for (; ax >= 0; --ax) {
      for (size_t k = 0; k < N; ++k) offs[k] += strides[k][ax];
      if (++idx[ax] < shape[ax]) break;
      for (size_t k = 0; k < N; ++k) offs[k] -= strides[k][ax] * shape[ax];
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

}  // namespace mlx

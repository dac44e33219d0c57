#include "gather.h"

#include <stdexcept>

#include "allocator.h"
#include "dispatch.h"
#include "iterate.h"

namespace mlx {

namespace {

// Adds idx * stride for every index of one array (read through its strides, index type I)
// to `offsets`, checking each against [-n, n - slice] before wrapping negatives.
template <typename I>
void accumulate_offsets(const array& idx, int64_t n, int64_t slice, int64_t stride, int axis,
                        std::vector<int64_t>& offsets, const std::string& op) {
  const I* p = idx.data<I>();
  int64_t limit = n - slice;  // the last valid start
  size_t k = 0;
  strided_loop<1>(idx.shape(), {idx.strides()},
                  [&](const std::array<int64_t, 1>& o, int64_t len, const std::array<int64_t, 1>& st) {
                    for (int64_t i = 0; i < len; ++i, ++k) {
                      I raw = p[o[0] + i * st[0]];
                      int64_t v;
                      bool ok;
                      if constexpr (std::is_unsigned_v<I>) {
                        ok = limit >= 0 && static_cast<uint64_t>(raw) <= static_cast<uint64_t>(limit);
                        v = static_cast<int64_t>(raw);
                      } else {
                        v = static_cast<int64_t>(raw);
                        if (v < 0) v += n;
                        ok = v >= 0 && v <= limit;
                      }
                      if (!ok) {
                        throw std::invalid_argument(
                            "[" + op + "] Index " + std::to_string(static_cast<long long>(raw)) +
                            " is out of bounds for axis " + std::to_string(axis) + " with size " +
                            std::to_string(n) + (slice > 1 ? " (slice size " + std::to_string(slice) + ")." : "."));
                      }
                      offsets[k] += v * stride;
                    }
                  });
}

}  // namespace

std::vector<int64_t> index_offsets(const std::vector<array>& indices, const std::vector<int>& axes,
                                   const Shape& shape, const Strides& strides, const Shape& slice_sizes,
                                   const std::string& op) {
  size_t count = indices.empty() ? 1 : indices[0].size();
  std::vector<int64_t> offsets(count, 0);
  for (size_t j = 0; j < indices.size(); ++j) {
    int ax = axes[j];
    const array& idx = indices[j];
    if (idx.dtype() == Dtype::bool_ || !is_integral(idx.dtype())) {
      throw std::invalid_argument("[" + op + "] Indices must be integral, got " + dtype_name(idx.dtype()) + ".");
    }
    dispatch_all(idx.dtype(), [&](auto t) {
      using I = typename decltype(t)::type;
      if constexpr (std::is_integral_v<I> && !std::is_same_v<I, bool>) {
        accumulate_offsets<I>(idx, shape[ax], slice_sizes[ax], strides[ax], ax, offsets, op);
      }
    });
  }
  return offsets;
}

void gather_eval(const array& src, const std::vector<array>& indices, const std::vector<int>& axes,
                 const Shape& slice_sizes, array& out, const std::string& op) {
  // Validate every index before allocating or reading anything.
  std::vector<int64_t> starts = index_offsets(indices, axes, src.shape(), src.strides(), slice_sizes, op);
  out.set_data(allocator::malloc(out.nbytes()));
  size_t slice_size = shape_size(slice_sizes);
  if (out.size() == 0) return;
  Strides dense = row_strides(slice_sizes);
  dispatch_all(src.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    const T* s = src.data<T>();
    T* d = out.data<T>();
    for (size_t b = 0; b < starts.size(); ++b) {
      const T* sb = s + starts[b];
      T* db = d + b * slice_size;
      strided_loop<2>(slice_sizes, {src.strides(), dense},
                      [&](const std::array<int64_t, 2>& o, int64_t n, const std::array<int64_t, 2>& st) {
                        for (int64_t i = 0; i < n; ++i) db[o[1] + i * st[1]] = sb[o[0] + i * st[0]];
                      });
    }
  });
}

}  // namespace mlx

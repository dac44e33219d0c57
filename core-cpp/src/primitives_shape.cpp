#include "primitives_shape.h"

#include "allocator.h"
#include "kernels/copy.h"
#include "ops.h"
#include "ops_shape.h"
#include "ops_slice.h"

namespace mlx {

namespace {

// Where each input starts along the axis of concatenation.
std::vector<int32_t> offsets_of(const std::vector<array>& xs, int axis) {
  std::vector<int32_t> off{0};
  for (auto& x : xs) off.push_back(off.back() + x.shape(axis));
  return off;
}

// The slice of `x` holding input i (for vjps): [off[i], off[i+1]) along axis.
array part(const array& x, int axis, int32_t lo, int32_t hi) {
  std::vector<int32_t> start(x.ndim(), 0), stop(x.shape().begin(), x.shape().end());
  start[axis] = lo;
  stop[axis] = hi;
  return slice(x, start, stop);
}

}  // namespace

void Concatenate::eval(const std::vector<array>& in, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  std::vector<int32_t> off = offsets_of(in, axis_);
  for (size_t i = 0; i < in.size(); ++i) {
    const array& x = in[i];
    if (x.size() == 0) continue;
    // A view of out's region for input i: out's strides, shifted start, x's shape. Its span
    // (data_size) is what layout_flags needs to tell whether the region has no gaps.
    int64_t last = 0;
    for (int d = 0; d < x.ndim(); ++d) last += int64_t(x.shape(d) - 1) * out.strides(d);
    size_t span = size_t(last + 1);
    array region(x.shape(), out.dtype(), nullptr, {});
    region.copy_shared_buffer(out, out.strides(), layout_flags(x.shape(), out.strides(), span), span,
                              int64_t(off[i]) * out.strides(axis_));
    copy_general(x, region);
  }
}

std::vector<array> Concatenate::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                    const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<int32_t> off = offsets_of(primals, axis_);
  std::vector<array> grads;
  for (int i : argnums) grads.push_back(part(cot[0], axis_, off[i], off[i + 1]));
  return grads;
}

std::vector<array> Concatenate::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                    const std::vector<int>& argnums) {
  std::vector<array> parts;
  for (auto& p : primals) parts.push_back(zeros_like(p));
  for (size_t k = 0; k < argnums.size(); ++k) parts[argnums[k]] = tan[k];
  return {concatenate(parts, axis_)};
}

}  // namespace mlx

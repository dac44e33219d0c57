#include "primitives.h"

#include <stdexcept>

#include "allocator.h"
#include "kernels/copy.h"
#include "kernels/dispatch.h"
#include "kernels/matmul.h"
#include "ops.h"
#include "primitives_reduce.h"

namespace mlx {

void Matmul::eval(const std::vector<array>& in, array& out) { matmul_eval(in[0], in[1], out); }

void View::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  // A row-contiguous input is shared as it is; anything else is laid out in row order first.
  array src = x.flags().row_contiguous ? x : x.converted(x.dtype());
  size_t bytes = src.data_size() * src.itemsize();
  out.copy_shared_buffer(src, row_strides(out.shape()), Flags{}, bytes / out.itemsize());
}

void AsType::eval(const std::vector<array>& in, array& out) { copy_to_output(in[0], out); }

void Reduce::eval(const std::vector<array>& in, array& out) { reduce_eval(in[0], out, axes_, type_); }

void Reshape::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  if (x.flags().row_contiguous) {
    out.copy_shared_buffer(x, row_strides(out.shape()), Flags{}, x.data_size());
    return;
  }
  // A strided input is laid out in row order first; the reshape is then a view.
  array tmp = array::empty(x.shape(), x.dtype());
  copy_general(x, tmp);
  out.copy_shared_buffer(tmp, row_strides(out.shape()), Flags{}, tmp.data_size());
}

void Transpose::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  Strides st(axes_.size());
  for (size_t i = 0; i < axes_.size(); ++i) st[i] = x.strides(axes_[i]);
  Flags f = layout_flags(out.shape(), st, x.data_size());
  out.copy_shared_buffer(x, st, f, x.data_size());
}

void Broadcast::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  int diff = out.ndim() - x.ndim();
  Strides st(out.ndim(), 0);
  for (int i = 0; i < x.ndim(); ++i) {
    st[diff + i] = (x.shape(i) == 1 && out.shape(diff + i) != 1) ? 0 : x.strides(i);
  }
  Flags f = layout_flags(out.shape(), st, x.data_size());
  out.copy_shared_buffer(x, st, f, x.data_size());
}

void Arange::eval(const std::vector<array>&, array& out) {
  out.set_data(allocator::malloc(out.nbytes()));
  dispatch_all(out.dtype(), [&](auto t) {
    using T = typename decltype(t)::type;
    T* p = out.data<T>();
    for (size_t i = 0; i < out.size(); ++i) p[i] = convert<T>(start_ + double(i) * step_);
  });
}

}  // namespace mlx

// ---- identities ------------------------------------------------------------------------

namespace mlx {

void Copy::eval(const std::vector<array>& in, array& out) { out.copy_shared_buffer(in[0]); }
std::vector<array> Copy::vjp(const std::vector<array>&, const std::vector<array>& cot,
                             const std::vector<int>&, const std::vector<array>&) {
  return {cot[0]};
}
std::vector<array> Copy::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {tan[0]};
}

void StopGradient::eval(const std::vector<array>& in, array& out) { out.copy_shared_buffer(in[0]); }
std::vector<array> StopGradient::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>&, const std::vector<array>&) {
  return {zeros_like(primals[0])};
}
std::vector<array> StopGradient::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>&) {
  return {zeros_like(primals[0])};
}

// ---- gradients -----------------------------------------------------------------------
// vjp rules return one cotangent per entry of argnums; jvp rules receive one tangent per
// entry of argnums and return the output's tangent.

namespace {

// The tangent of input `i` if it has one, else an invalid array.
array tangent_of(const std::vector<array>& tangents, const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k)
    if (argnums[k] == i) return tangents[k];
  return array();
}

// Sums the contributions of the inputs that have tangents.
array add_tangents(array a, array b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return add(a, b);
}

std::vector<int> swap_last_two(int ndim) {
  std::vector<int> axes(ndim);
  for (int i = 0; i < ndim; ++i) axes[i] = i;
  std::swap(axes[ndim - 1], axes[ndim - 2]);
  return axes;
}

}  // namespace

std::vector<array> Matmul::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  auto perm = swap_last_two(cot[0].ndim());
  for (int i : argnums) {
    out.push_back(i == 0 ? matmul(cot[0], transpose(primals[1], perm))
                         : matmul(transpose(primals[0], perm), cot[0]));
  }
  return out;
}
std::vector<array> Matmul::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  array t0 = tangent_of(tan, argnums, 0), t1 = tangent_of(tan, argnums, 1);
  return {add_tangents(t0.valid() ? matmul(t0, primals[1]) : array(),
                       t1.valid() ? matmul(primals[0], t1) : array())};
}

std::vector<array> AsType::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>&, const std::vector<array>&) {
  return {astype(cot[0], primals[0].dtype())};
}
std::vector<array> AsType::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>&) {
  return {astype(tan[0], dtype_)};
}

// The rules of every reduction type live with the reduce family (primitives_reduce.cpp).
std::vector<array> Reduce::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>&, const std::vector<array>& outputs) {
  return {reduce_vjp(type_, axes_, primals[0], cot[0], outputs[0])};
}
std::vector<array> Reduce::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>&) {
  return {reduce_jvp(type_, axes_, primals[0], tan[0])};
}

std::vector<array> Reshape::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                const std::vector<int>&, const std::vector<array>&) {
  return {reshape(cot[0], primals[0].shape())};
}
std::vector<array> Reshape::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {reshape(tan[0], shape_)};
}

std::vector<array> Transpose::vjp(const std::vector<array>&, const std::vector<array>& cot,
                                  const std::vector<int>&, const std::vector<array>&) {
  std::vector<int> inverse(axes_.size());
  for (size_t i = 0; i < axes_.size(); ++i) inverse[axes_[i]] = static_cast<int>(i);
  return {transpose(cot[0], inverse)};
}
std::vector<array> Transpose::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                  const std::vector<int>&) {
  return {transpose(tan[0], axes_)};
}

std::vector<array> Broadcast::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                  const std::vector<int>&, const std::vector<array>&) {
  return {sum_to_shape(cot[0], primals[0].shape())};
}
std::vector<array> Broadcast::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                  const std::vector<int>&) {
  return {broadcast_to(tan[0], shape_)};
}

}  // namespace mlx

// ---- vmap rules ----------------------------------------------------------------------
// Each rule gets the batched inputs and where their batch axis is (-1: not batched) and
// returns the outputs with their batch axes. Most move the batch axis to the front and
// let broadcasting handle unbatched inputs.

#include "vmap.h"

namespace mlx {

namespace {
using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

// Element-wise ops keep the batch axis where it is.
template <typename F>
VmapResult vmap_unary(const std::vector<array>& in, const std::vector<int>& axes, F op) {
  return {{op(in[0])}, {axes[0]}};
}
}  // namespace

VmapResult Copy::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return copy(x); });
}
VmapResult StopGradient::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return stop_gradient(x); });
}
VmapResult AsType::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [this](const array& x) { return astype(x, dtype_); });
}

VmapResult Matmul::vmap(const std::vector<array>& in_, const std::vector<int>& axes) {
  std::vector<array> in = in_;
  vmap_util::to_front(in, axes);
  // An unbatched operand keeps its own batch axes; give it a leading 1 only when the batched
  // one would otherwise be misaligned (it has at least as many axes after batching).
  for (int i = 0; i < 2; ++i) {
    if (axes[i] >= 0) continue;
    const array& other = in[1 - i];
    while (in[i].ndim() < other.ndim()) {
      Shape s = in[i].shape();
      s.insert(s.begin(), 1);
      in[i] = reshape(in[i], s);
    }
  }
  return {{matmul(in[0], in[1])}, {0}};
}

VmapResult Reduce::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  int ax = axes[0];
  std::vector<int> shifted;
  for (int a : axes_) shifted.push_back(a >= ax ? a + 1 : a);
  Shape kept = in[0].shape();
  for (int a : shifted) kept[a] = 1;
  Dtype t = in[0].dtype();
  return {{array(kept, t, std::make_shared<Reduce>(type_, shifted), {in[0]})}, {ax}};
}

VmapResult View::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  // The batch axis goes first so that the last axis, whose length may change, is untouched.
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  if (x.ndim() == 1 && x.itemsize() != size_of(dtype_)) {
    throw std::invalid_argument("[view] Cannot view 0-dimensional elements as a dtype of another size.");
  }
  return {{view(x, dtype_)}, {0}};
}

VmapResult Reshape::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  Shape s = shape_;
  s.insert(s.begin(), x.shape(0));
  return {{reshape(x, s)}, {0}};
}

VmapResult Transpose::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  std::vector<int> perm{0};
  for (int a : axes_) perm.push_back(a + 1);
  return {{transpose(x, perm)}, {0}};
}

VmapResult Broadcast::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  // Align the unbatched part to the right of the target shape, then broadcast.
  Shape s = x.shape();
  int missing = static_cast<int>(shape_.size()) - (x.ndim() - 1);
  s.insert(s.begin() + 1, missing, 1);
  Shape target = shape_;
  target.insert(target.begin(), x.shape(0));
  return {{broadcast_to(reshape(x, s), target)}, {0}};
}

}  // namespace mlx

// ---- output shapes for shapeless compile ----------------------------------------------

namespace mlx {

std::vector<Shape> Matmul::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = in[1].shape().back();
  return {s};
}

std::vector<Shape> Reduce::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  for (int ax : axes_) s[ax] = 1;
  return {s};
}

}  // namespace mlx

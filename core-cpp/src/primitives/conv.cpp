#include "primitives/conv.h"

#include "allocator.h"
#include "backend/cpu/conv_direct.h"
#include "ops.h"
#include "transforms/eval_grad.h"
#include "transforms/vmap.h"

namespace mlx {

std::vector<Shape> Conv2dDirect::output_shapes(const std::vector<array>& in) {
  return {conv2d_output_shape(in[0].shape(), in[1].shape(), p_)};
}

void Conv2dDirect::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  // The weight is small: a row-contiguous copy when it is a view. The input is read
  // through its strides.
  array w = in[1].flags().row_contiguous ? in[1] : in[1].converted(Dtype::float32);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  Conv2dGeometry g{};
  g.batch = x.shape(0);
  g.in_h = x.shape(1);
  g.in_w = x.shape(2);
  g.in_c = x.shape(3);
  for (int d = 0; d < 4; ++d) g.x_strides[d] = x.strides()[size_t(d)];
  g.out_c = w.shape(0);
  g.kh = w.shape(1);
  g.kw = w.shape(2);
  g.out_h = out.shape(1);
  g.out_w = out.shape(2);
  for (int d = 0; d < 2; ++d) {
    g.stride[d] = p_.stride[size_t(d)];
    g.padding[d] = p_.padding[size_t(d)];
    g.dilation[d] = p_.dilation[size_t(d)];
  }
  g.groups = p_.groups;
  conv2d_direct_f32(g, x.data<float>(), w.data<float>(), out.data<float>());
}

std::vector<array> Conv2dDirect::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                     const std::vector<int>& argnums, const std::vector<array>&) {
  // The cotangents of the composition (pad, strided slices, matmul): correct for every
  // stride/padding/dilation/groups, and differentiable again.
  Conv2dParams p = p_;
  auto f = [p](const std::vector<array>& xs) { return std::vector<array>{conv2d_composed(xs[0], xs[1], p)}; };
  std::vector<array> grads = mlx::vjp(f, primals, cot).second;
  std::vector<array> res;
  for (int a : argnums) res.push_back(grads[size_t(a)]);
  return res;
}

std::vector<array> Conv2dDirect::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                     const std::vector<int>& argnums) {
  // conv2d is bilinear: d conv(x, w) = conv(dx, w) + conv(x, dw).
  array out;
  for (size_t i = 0; i < argnums.size(); ++i) {
    array term = argnums[i] == 0 ? conv2d_direct(tan[i], primals[1], p_) : conv2d_direct(primals[0], tan[i], p_);
    out = out.valid() ? add(out, term) : term;
  }
  return {out};
}

std::pair<std::vector<array>, std::vector<int>> Conv2dDirect::vmap(const std::vector<array>& in,
                                                                   const std::vector<int>& axes) {
  // Only the input batched: fold the vmapped axis into N. A batched weight falls back to
  // vmap's per-element loop.
  if (axes[1] >= 0 || axes[0] < 0) return {};
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  int b = x.shape(0), n = x.shape(1);
  array y = conv2d_direct(reshape(x, {b * n, x.shape(2), x.shape(3), x.shape(4)}), in[1], p_);
  return {{reshape(y, {b, n, y.shape(1), y.shape(2), y.shape(3)})}, {0}};
}

}  // namespace mlx

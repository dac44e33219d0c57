#include "primitives/conv.h"

#include "allocator.h"
#include "backend/cpu/conv_direct.h"
#include "ops.h"
#include "transforms/eval_grad.h"
#include "transforms/vmap.h"

namespace mlx {

std::vector<Shape> ConvDirect::output_shapes(const std::vector<array>& in) {
  return {conv_output_shape(in[0].shape(), in[1].shape(), p_)};
}

void ConvDirect::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  // The weight is small: a row-contiguous copy when it is a view. The input is read
  // through its strides.
  array w = in[1].flags().row_contiguous ? in[1] : in[1].converted(Dtype::float32);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  // The kernel's three spatial axes: the missing leading ones have extent 1 (stride 0).
  const int n = p_.spatial(), lead = 3 - n;
  ConvGeometry g{};
  g.batch = x.shape(0);
  g.in_c = x.shape(n + 1);
  g.out_c = w.shape(0);
  g.groups = p_.groups;
  g.x_strides[0] = x.strides()[0];
  g.x_strides[4] = x.strides()[size_t(n + 1)];
  for (int d = 0; d < 3; ++d) {
    bool real = d >= lead;
    int s = d - lead;  // the axis among the array's spatial axes
    g.in[d] = real ? x.shape(s + 1) : 1;
    g.k[d] = real ? w.shape(s + 1) : 1;
    g.out[d] = real ? out.shape(s + 1) : 1;
    g.x_strides[d + 1] = real ? x.strides()[size_t(s + 1)] : 0;
    g.stride[d] = real ? p_.stride[size_t(s)] : 1;
    g.padding[d] = real ? p_.padding_lo[size_t(s)] : 0;
    g.dilation[d] = real ? p_.dilation[size_t(s)] : 1;
  }
  conv_direct_f32(g, x.data<float>(), w.data<float>(), out.data<float>());
}

std::vector<array> ConvDirect::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                   const std::vector<int>& argnums, const std::vector<array>&) {
  // The cotangents of the composition (pad, strided slices, matmul): correct for every
  // stride/padding/dilation/groups, and differentiable again.
  ConvParams p = p_;
  auto f = [p](const std::vector<array>& xs) { return std::vector<array>{conv_composed(xs[0], xs[1], p)}; };
  std::vector<array> grads = mlx::vjp(f, primals, cot).second;
  std::vector<array> res;
  for (int a : argnums) res.push_back(grads[size_t(a)]);
  return res;
}

std::vector<array> ConvDirect::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                   const std::vector<int>& argnums) {
  // conv is bilinear: d conv(x, w) = conv(dx, w) + conv(x, dw).
  array out;
  for (size_t i = 0; i < argnums.size(); ++i) {
    array term = argnums[i] == 0 ? conv_direct(tan[i], primals[1], p_) : conv_direct(primals[0], tan[i], p_);
    out = out.valid() ? add(out, term) : term;
  }
  return {out};
}

std::pair<std::vector<array>, std::vector<int>> ConvDirect::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  // Only the input batched: fold the vmapped axis into N. A batched weight falls back to
  // vmap's per-element loop.
  if (axes[1] >= 0 || axes[0] < 0) return {};
  array x = vmap_util::move_axis(in[0], axes[0], 0);
  int b = x.shape(0), n = x.shape(1);
  Shape folded(x.shape().begin() + 1, x.shape().end());
  folded[0] = b * n;
  array y = conv_direct(reshape(x, folded), in[1], p_);
  Shape unfolded{b};
  unfolded.insert(unfolded.end(), y.shape().begin(), y.shape().end());
  unfolded[1] = n;
  return {{reshape(y, unfolded)}, {0}};
}

}  // namespace mlx

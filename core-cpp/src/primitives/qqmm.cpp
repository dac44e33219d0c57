#include "primitives/qqmm.h"

#include <stdexcept>

#include "backend/cpu/qqmm.h"
#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

std::optional<array> QQMatmul::scales_of(const std::vector<array>& in) const {
  return w_quantized_ ? std::optional<array>(in[2]) : std::nullopt;
}

std::optional<array> QQMatmul::global_of(const std::vector<array>& in, int which) const {
  if (!global_) return std::nullopt;
  return in[(w_quantized_ ? 3 : 2) + which];
}

void QQMatmul::eval(const std::vector<array>& in, array& out) {
  qqmm_eval(in[0], in[1], scales_of(in), global_of(in, 0), global_of(in, 1), group_size_, bits_, out);
}

array QQMatmul::product(const array& a, const array& b) const {
  return qqmm(a, b, std::nullopt, group_size_, bits_, quantization_mode_name(mode_));
}

array QQMatmul::weight(const std::vector<array>& primals, Dtype dtype) const {
  if (!w_quantized_) return primals[1];
  return dequantize(primals[1], primals[2], std::nullopt, group_size_, bits_, quantization_mode_name(mode_), dtype,
                    global_of(primals, 1));
}

std::vector<array> QQMatmul::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                 const std::vector<int>& argnums, const std::vector<array>&) {
  const array& g = cotangents[0];
  std::vector<array> out;
  for (int a : argnums) {
    if (a == 0) {
      // dx [M, K] = g [M, N] @ w [N, K] = qqmm(g, w.T): w.T is quantized along N.
      out.push_back(astype(product(g, transpose(weight(primals, g.dtype()))), primals[0].dtype()));
    } else if (a == 1 && !w_quantized_) {
      // dw [N, K] = g.T [N, M] @ x [M, K] = qqmm(g.T, x.T): x.T is quantized along M.
      out.push_back(astype(product(transpose(g), transpose(primals[0])), primals[1].dtype()));
    } else if (a == 1 || (a == 2 && w_quantized_)) {
      throw std::invalid_argument("[QQMatmul::vjp] no gradient wrt the quantized weights.");
    } else {
      throw std::invalid_argument("[QQMatmul::vjp] no gradient wrt the global scales.");
    }
  }
  return out;
}

std::vector<array> QQMatmul::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                 const std::vector<int>& argnums) {
  std::optional<array> out;
  for (size_t i = 0; i < argnums.size(); ++i) {
    int a = argnums[i];
    array term = primals[0];
    if (a == 0) {
      term = qqmm(tangents[i], primals[1], scales_of(primals), group_size_, bits_, quantization_mode_name(mode_),
                  global_of(primals, 0), global_of(primals, 1));
    } else if (a == 1 && !w_quantized_) {
      term = product(primals[0], tangents[i]);
    } else if (a == 1 || (a == 2 && w_quantized_)) {
      throw std::invalid_argument("[QQMatmul::jvp] no jvp wrt the quantized weights.");
    } else {
      throw std::invalid_argument("[QQMatmul::jvp] no jvp wrt the global scales.");
    }
    out = out ? add(*out, term) : term;
  }
  return {*out};
}

std::pair<std::vector<array>, std::vector<int>> QQMatmul::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  const std::string mode = quantization_mode_name(mode_);
  for (size_t i = 2; i < in.size(); ++i) {
    if (axes[i] >= 0 && !(w_quantized_ && i == 2)) {
      throw std::invalid_argument("[QQMatmul::vmap] Cannot vmap over the global scales.");
    }
  }
  const bool w_mapped = axes[1] >= 0 || (w_quantized_ && axes[2] >= 0);
  if (!w_mapped) {
    // x is quantized row by row, so a batch of x is more rows of one product.
    array x = vmap_util::move_axis(in[0], axes[0], 0);
    return {{qqmm(x, in[1], scales_of(in), group_size_, bits_, mode, global_of(in, 0), global_of(in, 1))}, {0}};
  }
  // A batch of weights: one product per batch element.
  std::vector<array> xs = in;
  const int n = vmap_util::to_front_all(xs, axes);
  std::vector<array> ys;
  for (int b = 0; b < n; ++b) {
    auto at = [&](const array& a) { return take(a, array::scalar(b, Dtype::int32), 0); };
    std::optional<array> s = w_quantized_ ? std::optional<array>(at(xs[2])) : std::nullopt;
    ys.push_back(qqmm(at(xs[0]), at(xs[1]), s, group_size_, bits_, mode, global_of(in, 0), global_of(in, 1)));
  }
  return {{stack(ys, 0)}, {0}};
}

bool QQMatmul::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const QQMatmul*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_ && o->mode_ == mode_ &&
         o->w_quantized_ == w_quantized_ && o->global_ == global_;
}

std::vector<Shape> QQMatmul::output_shapes(const std::vector<array>& in) {
  return {Shape{in[0].shape(0), in[1].shape(0)}};
}

}  // namespace mlx

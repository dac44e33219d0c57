#include "primitives/quantized.h"

#include <stdexcept>

#include "backend/cpu/quantized.h"
#include "ops.h"
#include "ops/quantized.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

// x [..., R, C] -> [..., R, C / gs, gs]: the quantization groups on their own axis.
array grouped(const array& x, int gs) {
  Shape s = x.shape();
  s.back() = s.back() / gs;
  s.push_back(gs);
  return reshape(x, s);
}

// The float codes q of wq (dequantized with unit scales and zero biases), in dtype t.
array codes(const array& wq, const array& scales, int gs, int bits) {
  Dtype t = scales.dtype();
  Shape s = wq.shape();
  s.back() = int32_t(int64_t(s.back()) * 32 / bits);
  return array(s, t, std::make_shared<Dequantize>(gs, bits), {wq, ones(scales.shape(), t), zeros(scales.shape(), t)});
}

// The gradients of sum(g * dequantized) with respect to scales and biases, g having the
// dequantized matrix's shape: per group sum(g * q) and sum(g).
array scales_grad(const array& g, const array& wq, const array& scales, int gs, int bits) {
  return sum(grouped(multiply(g, codes(wq, scales, gs, bits)), gs), std::vector<int>{-1});
}
array biases_grad(const array& g, int gs) { return sum(grouped(g, gs), std::vector<int>{-1}); }

// The tangent of the dequantized matrix given tangents of scales (ts) and biases (tb).
array dequantized_tangent(const array& wq, const array& scales, const array* ts, const array* tb, int gs, int bits) {
  array q = codes(wq, scales, gs, bits);
  array t = zeros(grouped(q, gs).shape(), scales.dtype());
  if (ts) t = add(t, multiply(grouped(q, gs), expand_dims(*ts, {-1})));
  if (tb) t = add(t, expand_dims(*tb, {-1}));
  return reshape(t, q.shape());
}

int index_of(const std::vector<int>& argnums, int i) {
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == i) return int(k);
  }
  return -1;
}

}  // namespace

// ---- Quantize ---------------------------------------------------------------------------

void Quantize::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  quantize_eval(in[0], group_size_, bits_, out[0], out[1], out[2]);
}

std::pair<std::vector<array>, std::vector<int>> Quantize::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  // Groups run along the last axis, so a batch axis in front changes nothing per row.
  array w = vmap_util::move_axis(in[0], axes[0], 0);
  return {quantize(w, group_size_, bits_), {0, 0, 0}};
}

bool Quantize::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const Quantize*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_;
}

std::vector<Shape> Quantize::output_shapes(const std::vector<array>& in) {
  Shape wq = in[0].shape(), s = in[0].shape();
  wq.back() = int32_t(int64_t(wq.back()) * bits_ / 32);
  s.back() = s.back() / group_size_;
  return {wq, s, s};
}

// ---- Dequantize -------------------------------------------------------------------------

void Dequantize::eval(const std::vector<array>& in, array& out) {
  dequantize_eval(in[0], in[1], in[2], group_size_, bits_, out);
}

std::vector<array> Dequantize::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                   const std::vector<int>& argnums, const std::vector<array>&) {
  const array& g = cotangents[0];
  std::vector<array> out;
  for (int a : argnums) {
    if (a == 0) {
      out.push_back(zeros_like(primals[0]));  // integer codes: no gradient
    } else if (a == 1) {
      out.push_back(scales_grad(g, primals[0], primals[1], group_size_, bits_));
    } else {
      out.push_back(biases_grad(g, group_size_));
    }
  }
  return out;
}

std::vector<array> Dequantize::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                   const std::vector<int>& argnums) {
  int is = index_of(argnums, 1), ib = index_of(argnums, 2);
  return {dequantized_tangent(primals[0], primals[1], is >= 0 ? &tangents[is] : nullptr,
                              ib >= 0 ? &tangents[ib] : nullptr, group_size_, bits_)};
}

std::pair<std::vector<array>, std::vector<int>> Dequantize::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  std::vector<array> xs = in;
  vmap_util::to_front_all(xs, axes);
  Shape s = xs[0].shape();
  s.back() = int32_t(int64_t(s.back()) * 32 / bits_);
  return {{array(s, xs[1].dtype(), std::make_shared<Dequantize>(*this), xs)}, {0}};
}

bool Dequantize::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const Dequantize*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_;
}

std::vector<Shape> Dequantize::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = int32_t(int64_t(s.back()) * 32 / bits_);
  return {s};
}

// ---- QuantizedMatmul --------------------------------------------------------------------

void QuantizedMatmul::eval(const std::vector<array>& in, array& out) {
  quantized_matmul_eval(in[0], in[1], in[2], in[3], group_size_, bits_, transpose_, out);
}

std::vector<array> QuantizedMatmul::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                        const std::vector<int>& argnums, const std::vector<array>&) {
  const array& x = primals[0];
  const array& g = cotangents[0];
  std::vector<array> out;
  for (int a : argnums) {
    if (a == 0) {
      // y = x W^T -> dx = g W; y = x W -> dx = g W^T: the same kernel, transposed.
      out.push_back(quantized_matmul(g, primals[1], primals[2], primals[3], !transpose_, group_size_, bits_));
    } else if (a == 1) {
      throw std::invalid_argument("[QuantizedMatmul::vjp] no gradient wrt the quantized weights.");
    } else {
      // The gradient of the dequantized matrix W (its stored layout), then per group.
      array dw;
      if (primals[1].ndim() == 2) {
        int K = x.shape(-1), N = g.shape(-1);
        array x2 = reshape(x, {-1, K}), g2 = reshape(g, {-1, N});
        dw = transpose_ ? matmul(transpose(g2), x2) : matmul(transpose(x2), g2);
      } else {
        dw = transpose_ ? matmul(swapaxes(g, -1, -2), x) : matmul(swapaxes(x, -1, -2), g);
      }
      out.push_back(a == 2 ? scales_grad(dw, primals[1], primals[2], group_size_, bits_)
                           : biases_grad(dw, group_size_));
    }
  }
  return out;
}

std::vector<array> QuantizedMatmul::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                        const std::vector<int>& argnums) {
  if (index_of(argnums, 1) >= 0) {
    throw std::invalid_argument("[QuantizedMatmul::jvp] No jvp wrt the quantized weights.");
  }
  std::optional<array> t;
  int ix = index_of(argnums, 0), is = index_of(argnums, 2), ib = index_of(argnums, 3);
  if (ix >= 0) {
    t = quantized_matmul(tangents[ix], primals[1], primals[2], primals[3], transpose_, group_size_, bits_);
  }
  if (is >= 0 || ib >= 0) {
    array dw = dequantized_tangent(primals[1], primals[2], is >= 0 ? &tangents[is] : nullptr,
                                   ib >= 0 ? &tangents[ib] : nullptr, group_size_, bits_);
    array y = matmul(primals[0], transpose_ ? swapaxes(dw, -1, -2) : dw);
    t = t ? add(*t, y) : y;
  }
  return {*t};
}

std::pair<std::vector<array>, std::vector<int>> QuantizedMatmul::vmap(const std::vector<array>& in,
                                                                      const std::vector<int>& axes) {
  bool weights_mapped = axes[1] >= 0 || axes[2] >= 0 || axes[3] >= 0;
  if (!weights_mapped) {
    // Only x: its batch axis in front is one more leading axis of x.
    array x = vmap_util::move_axis(in[0], axes[0], 0);
    return {{quantized_matmul(x, in[1], in[2], in[3], transpose_, group_size_, bits_)}, {0}};
  }
  // Batched weights: every input gets the batch axis in front; a vector x per element
  // becomes a one-row matrix so that the batch axes line up.
  std::vector<array> xs = in;
  bool vector_x = in[0].ndim() - (axes[0] >= 0 ? 1 : 0) == 1;
  vmap_util::to_front_all(xs, axes);
  if (vector_x) xs[0] = expand_dims(xs[0], {-2});
  array y = quantized_matmul(xs[0], xs[1], xs[2], xs[3], transpose_, group_size_, bits_);
  if (vector_x) y = squeeze(y, std::vector<int>{-2});
  return {{y}, {0}};
}

bool QuantizedMatmul::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const QuantizedMatmul*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_ && o->transpose_ == transpose_;
}

std::vector<Shape> QuantizedMatmul::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = transpose_ ? in[1].shape(-2) : int32_t(int64_t(in[1].shape(-1)) * 32 / bits_);
  return {s};
}

}  // namespace mlx

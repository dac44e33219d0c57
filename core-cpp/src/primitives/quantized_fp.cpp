#include "primitives/quantized_fp.h"

#include <stdexcept>

#include "backend/cpu/quantized_fp.h"
#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

const char* fp_mode_name(int group_size, int bits) {
  if (group_size == 16) return "nvfp4";
  return bits == 8 ? "mxfp8" : "mxfp4";
}

namespace {
// The optional global scale, the input after the primitive's fixed ones.
std::optional<array> global_input(const std::vector<array>& in, size_t at) {
  return in.size() > at ? std::optional<array>(in[at]) : std::nullopt;
}

Shape codes_shape(const array& wq, int bits) {
  Shape s = wq.shape();
  s.back() = int32_t(int64_t(s.back()) * 32 / bits);
  return s;
}
}  // namespace

// ---- FpQuantize -------------------------------------------------------------------------

void FpQuantize::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  fp_quantize_eval(in[0], global_input(in, 1), group_size_, bits_, out[0], out[1]);
}

std::pair<std::vector<array>, std::vector<int>> FpQuantize::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  // Groups run along the last axis, so a batch axis in front changes nothing per row.
  if (in.size() > 1 && axes[1] >= 0) throw std::invalid_argument("[quantize] Cannot vmap over the global scale.");
  array w = vmap_util::move_axis(in[0], axes[0], 0);
  return {quantize(w, group_size_, bits_, fp_mode_name(group_size_, bits_), global_input(in, 1)), {0, 0}};
}

bool FpQuantize::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const FpQuantize*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_;
}

std::vector<Shape> FpQuantize::output_shapes(const std::vector<array>& in) {
  Shape wq = in[0].shape(), s = in[0].shape();
  wq.back() = int32_t(int64_t(wq.back()) * bits_ / 32);
  s.back() = s.back() / group_size_;
  return {wq, s};
}

// ---- FpDequantize -----------------------------------------------------------------------

void FpDequantize::eval(const std::vector<array>& in, array& out) {
  fp_dequantize_eval(in[0], in[1], global_input(in, 2), group_size_, bits_, out);
}

std::vector<array> FpDequantize::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int a : argnums) out.push_back(zeros_like(primals[a]));  // integer codes: no gradient
  return out;
}

std::vector<array> FpDequantize::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>&) {
  return {zeros(codes_shape(primals[0], bits_), out_type_)};
}

std::pair<std::vector<array>, std::vector<int>> FpDequantize::vmap(const std::vector<array>& in,
                                                                   const std::vector<int>& axes) {
  if (in.size() > 2 && axes[2] >= 0) throw std::invalid_argument("[dequantize] Cannot vmap over the global scale.");
  std::vector<array> xs(in.begin(), in.begin() + 2);
  vmap_util::to_front_all(xs, {axes[0], axes[1]});
  if (in.size() > 2) xs.push_back(in[2]);
  return {{array(codes_shape(xs[0], bits_), out_type_, std::make_shared<FpDequantize>(*this), xs)}, {0}};
}

bool FpDequantize::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const FpDequantize*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_ && o->out_type_ == out_type_;
}

std::vector<Shape> FpDequantize::output_shapes(const std::vector<array>& in) { return {codes_shape(in[0], bits_)}; }

// ---- FpQuantizedMatmul ------------------------------------------------------------------

void FpQuantizedMatmul::eval(const std::vector<array>& in, array& out) {
  fp_quantized_matmul_eval(in[0], in[1], in[2], group_size_, bits_, transpose_, out);
}

std::vector<array> FpQuantizedMatmul::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                          const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int a : argnums) {
    if (a != 0) throw std::invalid_argument("[QuantizedMatmul::vjp] no gradient wrt the quantized weights.");
    // y = x W^T -> dx = g W; y = x W -> dx = g W^T: the same kernel, transposed.
    out.push_back(quantized_matmul(cotangents[0], primals[1], primals[2], std::nullopt, !transpose_, group_size_,
                                   bits_, fp_mode_name(group_size_, bits_)));
  }
  return out;
}

std::vector<array> FpQuantizedMatmul::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                          const std::vector<int>& argnums) {
  for (int a : argnums) {
    if (a != 0) throw std::invalid_argument("[QuantizedMatmul::jvp] No jvp wrt the quantized weights.");
  }
  return {quantized_matmul(tangents[0], primals[1], primals[2], std::nullopt, transpose_, group_size_, bits_,
                           fp_mode_name(group_size_, bits_))};
}

std::pair<std::vector<array>, std::vector<int>> FpQuantizedMatmul::vmap(const std::vector<array>& in,
                                                                        const std::vector<int>& axes) {
  const char* mode = fp_mode_name(group_size_, bits_);
  bool weights_mapped = axes[1] >= 0 || axes[2] >= 0;
  if (!weights_mapped) {
    array x = vmap_util::move_axis(in[0], axes[0], 0);
    return {{quantized_matmul(x, in[1], in[2], std::nullopt, transpose_, group_size_, bits_, mode)}, {0}};
  }
  std::vector<array> xs = in;
  bool vector_x = in[0].ndim() - (axes[0] >= 0 ? 1 : 0) == 1;
  vmap_util::to_front_all(xs, axes);
  if (vector_x) xs[0] = expand_dims(xs[0], {-2});
  array y = quantized_matmul(xs[0], xs[1], xs[2], std::nullopt, transpose_, group_size_, bits_, mode);
  if (vector_x) y = squeeze(y, std::vector<int>{-2});
  return {{y}, {0}};
}

bool FpQuantizedMatmul::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const FpQuantizedMatmul*>(&other);
  return o && o->group_size_ == group_size_ && o->bits_ == bits_ && o->transpose_ == transpose_;
}

std::vector<Shape> FpQuantizedMatmul::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = transpose_ ? in[1].shape(-2) : int32_t(int64_t(in[1].shape(-1)) * 32 / bits_);
  return {s};
}

}  // namespace mlx

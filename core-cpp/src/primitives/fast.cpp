#include "primitives/fast.h"

#include "backend/cpu/fast.h"
#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

// ---- the transforms, from the fallback composition ------------------------------------

namespace {
// The fallback as a function of the inputs listed in `argnums` only (the others fixed), so
// that the transforms never differentiate through inputs nobody asked about (bool masks).
Function of_argnums(const Function& fallback, const std::vector<array>& primals, const std::vector<int>& argnums) {
  return [fallback, primals, argnums](const std::vector<array>& xs) {
    std::vector<array> all = primals;
    for (size_t k = 0; k < argnums.size(); ++k) all[argnums[k]] = xs[k];
    return fallback(all);
  };
}
std::vector<array> pick(const std::vector<array>& xs, const std::vector<int>& argnums) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(xs[i]);
  return out;
}
}  // namespace

std::vector<array> FastPrimitive::vjp(const std::vector<array>& primals, const std::vector<array>& cotangents,
                                      const std::vector<int>& argnums, const std::vector<array>&) {
  return mlx::vjp(of_argnums(fallback_, primals, argnums), pick(primals, argnums), cotangents).second;
}

std::vector<array> FastPrimitive::jvp(const std::vector<array>& primals, const std::vector<array>& tangents,
                                      const std::vector<int>& argnums) {
  return mlx::jvp(of_argnums(fallback_, primals, argnums), pick(primals, argnums), tangents).second;
}

std::pair<std::vector<array>, std::vector<int>> FastPrimitive::vmap(const std::vector<array>& inputs,
                                                                    const std::vector<int>& axes) {
  return vmap_trace(fallback_, inputs, axes);
}

std::pair<std::vector<array>, std::vector<int>> FastPrimitive::vmap_leading(const std::vector<array>& inputs,
                                                                            const std::vector<int>& axes,
                                                                            std::shared_ptr<Primitive> copy) {
  for (size_t i = 1; i < axes.size(); ++i) {
    if (axes[i] >= 0) return vmap_trace(fallback_, inputs, axes);  // a batched weight/bias
  }
  std::vector<array> in = inputs;
  in[0] = vmap_util::move_axis(inputs[0], axes[0], 0);
  Shape shape = copy->output_shapes(in)[0];
  Dtype dtype = in[0].dtype();
  return {{array(shape, dtype, std::move(copy), std::move(in))}, {0}};
}

// ---- RMSNorm ----------------------------------------------------------------------------

void RMSNorm::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  rms_norm_eval(in[0], has_w_ ? &in[1] : nullptr, eps_, out[0]);
}

std::pair<std::vector<array>, std::vector<int>> RMSNorm::vmap(const std::vector<array>& in,
                                                              const std::vector<int>& axes) {
  return vmap_leading(in, axes, std::make_shared<RMSNorm>(*this));
}

bool RMSNorm::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const RMSNorm*>(&other);
  return o && o->eps_ == eps_ && o->has_w_ == has_w_;
}

// ---- LayerNorm --------------------------------------------------------------------------

void LayerNorm::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  const array* w = has_w_ ? &in[1] : nullptr;
  const array* b = has_b_ ? &in[has_w_ ? 2 : 1] : nullptr;
  layer_norm_eval(in[0], w, b, eps_, out[0]);
}

std::pair<std::vector<array>, std::vector<int>> LayerNorm::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  return vmap_leading(in, axes, std::make_shared<LayerNorm>(*this));
}

bool LayerNorm::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const LayerNorm*>(&other);
  return o && o->eps_ == eps_ && o->has_w_ == has_w_ && o->has_b_ == has_b_;
}

// ---- RoPE -------------------------------------------------------------------------------

void RoPE::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  rope_eval(in[0], dims_, traditional_, base_, scale_, offset_, out[0]);
}

std::pair<std::vector<array>, std::vector<int>> RoPE::vmap(const std::vector<array>& in,
                                                           const std::vector<int>& axes) {
  // The batch axis in front keeps [..., L, D] as the trailing axes.
  return vmap_leading(in, axes, std::make_shared<RoPE>(*this));
}

bool RoPE::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const RoPE*>(&other);
  return o && o->dims_ == dims_ && o->traditional_ == traditional_ && o->base_ == base_ && o->scale_ == scale_ &&
         o->offset_ == offset_;
}

// ---- ScaledDotProductAttention -----------------------------------------------------------

void ScaledDotProductAttention::eval_cpu(const std::vector<array>& in, std::vector<array>& out) {
  sdpa_eval(in[0], in[1], in[2], has_mask_ ? &in[3] : nullptr, causal_, scale_, out[0]);
}

bool ScaledDotProductAttention::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const ScaledDotProductAttention*>(&other);
  return o && o->scale_ == scale_ && o->causal_ == causal_ && o->has_mask_ == has_mask_;
}

std::vector<Shape> ScaledDotProductAttention::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s.back() = in[2].shape(-1);
  return {s};
}

}  // namespace mlx

// ConvertFP8 (ops/fp8.h): element-wise to (to_fp8) or from FP8 e4m3 codes. Like MLX's, it
// has no derivative rules (the codes are integers); vmap keeps the batch axis where it is.
#pragma once

#include "primitive.h"

namespace mlx {

class ConvertFP8 : public UnaryPrimitive {
 public:
  // out_dtype: uint8 for to_fp8, the requested float dtype for from_fp8.
  ConvertFP8(bool to_fp8, Dtype out_dtype) : to_fp8_(to_fp8), out_dtype_(out_dtype) {}
  MLX_PRIMITIVE_NAME(ConvertFP8, "ConvertFP8")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const ConvertFP8*>(&other);
    return o && o->to_fp8_ == to_fp8_ && o->out_dtype_ == out_dtype_;
  }

 private:
  bool to_fp8_;
  Dtype out_dtype_;
};

}  // namespace mlx

// Primitives of strided slicing. Both hold normalised parameters: start indices already
// clamped and non-negative, one step per axis.
#pragma once

#include "primitive.h"

namespace mlx {

class Slice : public UnaryPrimitive {
 public:
  Slice(std::vector<int32_t> start, std::vector<int32_t> stop, std::vector<int32_t> strides)
      : start_(std::move(start)), stop_(std::move(stop)), strides_(std::move(strides)) {}
  MLX_PRIMITIVE_NAME(Slice, "Slice")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  // The stop to slice the same region again (re-slicing for jvp and vmap).
  std::vector<int32_t> reslice_stop() const;
  std::vector<int32_t> start_, stop_, strides_;
};

// inputs: src, update (already of the region's shape and src's dtype).
class SliceUpdate : public UnaryPrimitive {
 public:
  SliceUpdate(std::vector<int32_t> start, std::vector<int32_t> stop, std::vector<int32_t> strides)
      : start_(std::move(start)), stop_(std::move(stop)), strides_(std::move(strides)) {}
  MLX_PRIMITIVE_NAME(SliceUpdate, "SliceUpdate")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  std::vector<int32_t> start_, stop_, strides_;
};

}  // namespace mlx

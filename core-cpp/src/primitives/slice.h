// Primitives of strided slicing (Slice, SliceUpdate) and of MLX's dynamic slicing, whose
// start indices are an array (DynamicSlice, DynamicSliceUpdate). Both hold normalised parameters: start indices already
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

// inputs: a, start (integer, one entry per axis of `axes`). The start of each listed axis is
// clamped to [0, dim - size] at evaluation (so the region is always inside a, as XLA's
// dynamic_slice does; MLX leaves an out-of-range start undefined); other axes start at 0.
class DynamicSlice : public UnaryPrimitive {
 public:
  DynamicSlice(std::vector<int> axes, Shape slice_size) : axes_(std::move(axes)), size_(std::move(slice_size)) {}
  MLX_PRIMITIVE_NAME(DynamicSlice, "DynamicSlice")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const DynamicSlice*>(&other);
    return o && o->axes_ == axes_ && o->size_ == size_;
  }

 private:
  std::vector<int> axes_;
  Shape size_;
};

// inputs: src, update (src's dtype and ndim), start; starts clamped as in DynamicSlice.
class DynamicSliceUpdate : public UnaryPrimitive {
 public:
  explicit DynamicSliceUpdate(std::vector<int> axes) : axes_(std::move(axes)) {}
  MLX_PRIMITIVE_NAME(DynamicSliceUpdate, "DynamicSliceUpdate")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const DynamicSliceUpdate*>(&other);
    return o && o->axes_ == axes_;
  }

 private:
  std::vector<int> axes_;
};

}  // namespace mlx

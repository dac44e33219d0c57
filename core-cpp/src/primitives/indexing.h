// Primitives of integer-array indexing: Gather (read slices at indexed positions) and
// Scatter (write or reduce slices into a copy). Both carry the name of the op the user
// called, so an out-of-range index found at evaluation names it.
#pragma once

#include <string>

#include "backend/cpu/scatter.h"
#include "primitive.h"

namespace mlx {

// inputs: src, then one index array per axis in `axes` (all of one shape B).
// output: B + slice_sizes.
// `in_shape` is the gathered array's shape when the op was built: for a shapeless compile,
// the output is the (new) index shape followed by the slice sizes, where a slice that took
// a whole non-indexed axis takes the new input's whole axis.
class Gather : public UnaryPrimitive {
 public:
  Gather(std::vector<int> axes, Shape slice_sizes, std::string op, Shape in_shape)
      : axes_(std::move(axes)), slice_sizes_(std::move(slice_sizes)), op_(std::move(op)), in_shape_(std::move(in_shape)) {}
  MLX_PRIMITIVE_NAME(Gather, "Gather")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;

 private:
  std::vector<int> axes_;
  Shape slice_sizes_;
  std::string op_;
  Shape in_shape_;
};

// inputs: src, the index arrays (shape B), updates (shape B + slice, slice of src.ndim()
// axes, already of src's dtype). output: src's shape and dtype.
class Scatter : public UnaryPrimitive {
 public:
  Scatter(ScatterType type, std::vector<int> axes, std::string op)
      : type_(type), axes_(std::move(axes)), op_(std::move(op)) {}
  const char* name() const override;
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  ScatterType type_;
  std::vector<int> axes_;
  std::string op_;
};

}  // namespace mlx

#include "ops/hadamard.h"

#include <cmath>
#include <memory>
#include <stdexcept>

#include "backend/cpu/hadamard.h"
#include "ops.h"
#include "primitives/hadamard.h"

namespace mlx {

array hadamard_transform(const array& a, std::optional<double> scale_in) {
  if (a.size() == 0) throw std::invalid_argument("[hadamard_transform] Does not support empty arrays.");
  int n = a.ndim() > 0 ? a.shape(-1) : 1;
  // MLX keeps the scale as a float32.
  double scale = scale_in ? double(float(*scale_in)) : double(1.0f / std::sqrt(float(n)));
  Dtype t = is_floating(a.dtype()) ? a.dtype() : Dtype::float32;
  if (n == 1) return scale == 1 ? a : multiply(astype(a, t), array::scalar(scale, t));
  decompose_hadamard(n);  // MLX's size error, raised here rather than at evaluation
  return array(a.shape(), t, std::make_shared<Hadamard>(scale), {astype(a, t)});
}

}  // namespace mlx

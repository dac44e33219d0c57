#include "primitives/hadamard.h"

#include <memory>

#include "backend/cpu/hadamard.h"
#include "ops.h"
#include "ops/hadamard.h"
#include "transforms/vmap.h"

namespace mlx {

void Hadamard::eval(const std::vector<array>& in, array& out) { hadamard_eval(in[0], out, scale_, transposed_); }

namespace {
// The transform (or its transpose) of x, already of a float dtype and a valid size.
array apply(const array& x, double scale, bool transposed) {
  return array(x.shape(), x.dtype(), std::make_shared<Hadamard>(scale, transposed), {x});
}
}  // namespace

std::vector<array> Hadamard::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                 const std::vector<array>&) {
  return {apply(cot[0], scale_, !transposed_)};
}

std::vector<array> Hadamard::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {apply(tan[0], scale_, transposed_)};
}

std::pair<std::vector<array>, std::vector<int>> Hadamard::vmap(const std::vector<array>& in,
                                                               const std::vector<int>& axes) {
  // The transform acts on the last axis only: a batch axis there moves to the front.
  int ax = axes[0];
  array x = in[0];
  if (ax == x.ndim() - 1) {
    x = vmap_util::move_axis(x, ax, 0);
    ax = 0;
  }
  return {{apply(x, scale_, transposed_)}, {ax}};
}

}  // namespace mlx

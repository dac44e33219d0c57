#include "primitives/sort.h"

#include <stdexcept>

#include "ops.h"
#include "ops/indexing.h"
#include "ops/sort.h"

namespace mlx {

const char* SortPrimitive::name() const {
  switch (kind_) {
    case SortKind::Sort: return "Sort";
    case SortKind::ArgSort: return "ArgSort";
    case SortKind::Partition: return "Partition";
    case SortKind::ArgPartition: return "ArgPartition";
    case SortKind::TopK: return "TopK";
    case SortKind::ArgTopK: return "ArgTopK";
  }
  return "Sort";
}

void SortPrimitive::eval(const std::vector<array>& in, array& out) { sort_eval(in[0], out, kind_, axis_, param_); }

bool SortPrimitive::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const SortPrimitive*>(&other);
  return o && o->kind_ == kind_ && o->axis_ == axis_ && o->param_ == param_;
}

namespace {

SortKind index_kind(SortKind k) {
  switch (k) {
    case SortKind::Sort: return SortKind::ArgSort;
    case SortKind::Partition: return SortKind::ArgPartition;
    case SortKind::TopK: return SortKind::ArgTopK;
    default: return k;
  }
}

}  // namespace

// The permutation the value output was taken with, computed again from the primal (the
// kernels are deterministic, so it is the same one).
std::vector<array> SortPrimitive::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                      const std::vector<int>&, const std::vector<array>& outputs) {
  const array& x = primals[0];
  // Indices are piecewise constant in x: a zero gradient.
  if (sort_gives_indices(kind_)) return {zeros_like(x)};
  // An empty input has an empty gradient; put_along_axis (as MLX's) refuses empty arrays.
  if (x.size() == 0) return {zeros_like(x)};
  // The indices are piecewise constant in x: stop_gradient keeps higher-order transforms
  // from asking for their (zero) gradient.
  array idx = stop_gradient(
      array(outputs[0].shape(), Dtype::uint32, std::make_shared<SortPrimitive>(index_kind(kind_), axis_, param_), {x}));
  // The indices of one lane are distinct, so writing (not adding) the cotangents back is
  // exact.
  return {put_along_axis(zeros_like(x), idx, cot[0], axis_)};
}

std::vector<array> SortPrimitive::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                      const std::vector<int>&) {
  const array& x = primals[0];
  Shape s = x.shape();
  if (kind_ == SortKind::TopK || kind_ == SortKind::ArgTopK) s[axis_] = param_;
  if (sort_gives_indices(kind_)) return {zeros(s, Dtype::uint32)};
  // An empty input has an empty tangent; take_along_axis (as MLX's) refuses empty arrays.
  if (x.size() == 0) return {zeros(s, tan[0].dtype())};
  array idx = stop_gradient(array(s, Dtype::uint32, std::make_shared<SortPrimitive>(index_kind(kind_), axis_, param_), {x}));
  return {take_along_axis(tan[0], idx, axis_)};
}

// Batching: the sorted axis shifts past the batch axis, which stays where it is.
std::pair<std::vector<array>, std::vector<int>> SortPrimitive::vmap(const std::vector<array>& in,
                                                                    const std::vector<int>& axes) {
  const array& x = in[0];
  int ax = axes[0];
  int axis = axis_ + (ax <= axis_ ? 1 : 0);
  Shape s = x.shape();
  if (kind_ == SortKind::TopK || kind_ == SortKind::ArgTopK) s[axis] = param_;
  Dtype t = sort_gives_indices(kind_) ? Dtype::uint32 : x.dtype();
  return {{array(std::move(s), t, std::make_shared<SortPrimitive>(kind_, axis, param_), {x})}, {ax}};
}

}  // namespace mlx

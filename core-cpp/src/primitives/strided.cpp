#include "primitives/strided.h"

#include "ops/creation.h"
#include "ops/indexing.h"
#include "ops/shape.h"
#include "ops/strided.h"

namespace mlx {

void AsStrided::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  // The input is flat; a strided or broadcast one is laid out in row order first.
  array src = x.flags().row_contiguous ? x : x.converted(x.dtype());
  // The elements the view spans, from its first one (as_strided checked the bounds).
  int64_t lo = 0, hi = 0;
  for (size_t i = 0; i < shape_.size(); ++i) {
    int64_t span = int64_t(shape_[i] - 1) * strides_[i];
    (span < 0 ? lo : hi) += span;
  }
  size_t data_size = out.size() == 0 ? 0 : static_cast<size_t>(hi - lo + 1);
  out.copy_shared_buffer(src, strides_, layout_flags(shape_, strides_, data_size), data_size, offset_);
}
std::vector<array> AsStrided::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                  const std::vector<int>&, const std::vector<array>&) {
  // As MLX: the input position each output element reads is as_strided(arange(n)); the
  // cotangents are added at those positions (an element read twice gets both).
  const array& x = primals[0];
  int32_t n = static_cast<int32_t>(x.size());
  int32_t m = static_cast<int32_t>(cot[0].size());
  array idx = reshape(as_strided(arange(0, n, 1, Dtype::int32), shape_, strides_, offset_), {m});
  array updates = reshape(cot[0], {m, 1});
  return {scatter_add(zeros(x.shape(), cot[0].dtype()), {idx}, updates, {0})};
}
std::vector<array> AsStrided::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                  const std::vector<int>&) {
  return {as_strided(tan[0], shape_, strides_, offset_)};
}
bool AsStrided::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const AsStrided*>(&other);
  return o && shape_ == o->shape_ && strides_ == o->strides_ && offset_ == o->offset_;
}

void Contiguous::eval(const std::vector<array>& in, array& out) {
  const array& x = in[0];
  bool dense = x.flags().row_contiguous || (allow_col_major_ && x.flags().col_contiguous);
  if (dense) {
    out.copy_shared_buffer(x);
  } else {
    array c = x.converted(x.dtype());
    out.copy_shared_buffer(c);
  }
}
std::vector<array> Contiguous::vjp(const std::vector<array>&, const std::vector<array>& cot,
                                   const std::vector<int>&, const std::vector<array>&) {
  return {cot[0]};
}
std::vector<array> Contiguous::jvp(const std::vector<array>&, const std::vector<array>& tan,
                                   const std::vector<int>&) {
  return {tan[0]};
}
std::pair<std::vector<array>, std::vector<int>> Contiguous::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  return {{contiguous(in[0], allow_col_major_)}, {axes[0]}};
}
bool Contiguous::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const Contiguous*>(&other);
  return o && o->allow_col_major_ == allow_col_major_;
}

}  // namespace mlx

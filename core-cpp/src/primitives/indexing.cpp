#include "primitives/indexing.h"

#include <algorithm>
#include <stdexcept>

#include "backend/cpu/gather.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/indexing.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

// Index arrays are integers: asking for their gradient is a usage error.
[[noreturn]] void index_gradient(const std::string& op) {
  throw std::invalid_argument("[" + op +
                              "] Cannot calculate the gradient with respect to the indices; wrap them in "
                              "stopGradient.");
}

// 1 where a == b, else 0, in a's dtype: the selection mask of scatter_max/min's
// gradients (a comparison, so it carries no gradient itself).
array match_mask(const array& a, const array& b) { return astype(equal(a, b), a.dtype()); }

bool selects(ScatterType t) { return t == ScatterType::Max || t == ScatterType::Min; }

// scatter_prod's partial derivatives, exact where updates are zero: `all` is the product of
// every update landing on each element of src (1 where none lands), and `others[k]` is the
// product of the updates sharing update k's element except k itself (src excluded). Both
// come from the product of the non-zero updates and the count of zero updates per element,
// so no division by a zero update happens.
struct ProdParts {
  array all;
  array others;
};
ProdParts scatter_prod_parts(const array& src, const std::vector<array>& idx, const array& upd,
                             const std::vector<int>& axes, const std::string& op) {
  array is_zero = equal(upd, zeros_like(upd));
  array nonzero = where(is_zero, ones_like(upd), upd);
  array prod_nz = scatter_prod(ones_like(src), idx, nonzero, axes);
  array zero_count = scatter_add(zeros_like(src), idx, astype(is_zero, src.dtype()), axes);
  array zero = zeros_like(src);
  array all = where(greater(zero_count, zero), zero, prod_nz);
  int nb = upd.ndim() - src.ndim();
  Shape slice(upd.shape().begin() + nb, upd.shape().end());
  array p = gather(prod_nz, idx, axes, slice, op);
  array z = gather(zero_count, idx, axes, slice, op);
  array zu = zeros_like(upd);
  // A zero update's partner product is the non-zero product when it is the only zero;
  // a non-zero update's is the non-zero product over itself when there is no zero.
  array others = where(is_zero, where(equal(z, ones_like(z)), p, zu), where(equal(z, zeros_like(z)), divide(p, nonzero), zu));
  return {all, others};
}

}  // namespace

void Gather::eval(const std::vector<array>& in, array& out) {
  std::vector<array> idx(in.begin() + 1, in.end());
  gather_eval(in[0], idx, axes_, slice_sizes_, out, op_);
}

std::vector<Shape> Gather::output_shapes(const std::vector<array>& inputs) {
  const array& a = inputs[0];
  Shape out = inputs.size() > 1 ? inputs[1].shape() : Shape{};
  for (int i = 0; i < a.ndim(); ++i) {
    bool indexed = std::find(axes_.begin(), axes_.end(), i) != axes_.end();
    bool whole = !indexed && i < static_cast<int>(in_shape_.size()) && slice_sizes_[i] == in_shape_[i];
    int size = whole ? a.shape(i) : slice_sizes_[i];
    if (size > a.shape(i)) {
      throw std::invalid_argument("[" + op_ + "] Slice sizes must be in [0, a.shape(i)]; got " +
                                  shape_string(slice_sizes_) + " for shape " + shape_string(a.shape()) + ".");
    }
    out.push_back(size);
  }
  return {out};
}

std::vector<array> Gather::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> idx(primals.begin() + 1, primals.end());
  std::vector<array> out;
  for (int i : argnums) {
    if (i != 0) index_gradient(op_);
    // Every gathered element adds its cotangent back where it came from.
    out.push_back(scatter_add(zeros_like(primals[0]), idx, cot[0], axes_));
  }
  return out;
}
std::vector<array> Gather::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>& argnums) {
  for (int i : argnums)
    if (i != 0) index_gradient(op_);
  std::vector<array> idx(primals.begin() + 1, primals.end());
  return {gather(tan[0], idx, axes_, slice_sizes_, op_)};
}

const char* Scatter::name() const {
  switch (type_) {
    case ScatterType::None: return "Scatter";
    case ScatterType::Sum: return "ScatterAdd";
    case ScatterType::Prod: return "ScatterProd";
    case ScatterType::Max: return "ScatterMax";
    case ScatterType::Min: return "ScatterMin";
  }
  return "Scatter";
}

void Scatter::eval(const std::vector<array>& in, array& out) {
  std::vector<array> idx(in.begin() + 1, in.end() - 1);
  scatter_eval(in[0], idx, in.back(), axes_, type_, out, op_);
}

std::vector<array> Scatter::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                const std::vector<int>& argnums, const std::vector<array>& outputs) {
  std::vector<array> idx(primals.begin() + 1, primals.end() - 1);
  const array& src = primals[0];
  const array& upd = primals.back();
  int last = static_cast<int>(primals.size()) - 1;
  int nb = upd.ndim() - src.ndim();
  Shape slice(upd.shape().begin() + nb, upd.shape().end());
  if (type_ == ScatterType::Prod) {
    // out = src * (product of the updates at each element). (MLX raises here; the rule is
    // the product rule, exact at zero updates.)
    ProdParts parts = scatter_prod_parts(src, idx, upd, axes_, op_);
    std::vector<array> out;
    for (int i : argnums) {
      if (i == 0) out.push_back(multiply(cot[0], parts.all));
      else if (i == last) out.push_back(multiply(gather(multiply(cot[0], src), idx, axes_, slice, op_), parts.others));
      else index_gradient(op_);
    }
    return out;
  }
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) {
      // Overwritten elements get no gradient, added-to ones pass it through, and for
      // max/min (MLX's rule) the elements whose value survived get it.
      out.push_back(type_ == ScatterType::None  ? scatter(cot[0], idx, zeros_like(upd), axes_)
                    : type_ == ScatterType::Sum ? cot[0]
                                                : multiply(cot[0], match_mask(outputs[0], src)));
    } else if (i == last) {
      array g = gather(cot[0], idx, axes_, slice, op_);
      if (selects(type_)) g = multiply(g, match_mask(gather(outputs[0], idx, axes_, slice, op_), upd));
      out.push_back(g);
    } else {
      index_gradient(op_);
    }
  }
  return out;
}
std::vector<array> Scatter::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                const std::vector<int>& argnums) {
  std::vector<array> idx(primals.begin() + 1, primals.end() - 1);
  const array& src = primals[0];
  const array& upd = primals.back();
  int last = static_cast<int>(primals.size()) - 1;
  array t_src, t_upd;
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == 0) t_src = tan[k];
    else if (argnums[k] == last) t_upd = tan[k];
    else index_gradient(op_);
  }
  if (type_ == ScatterType::Prod) {
    ProdParts parts = scatter_prod_parts(src, idx, upd, axes_, op_);
    array t = t_src.valid() ? multiply(t_src, parts.all) : zeros_like(src);
    if (t_upd.valid()) {
      int nb = upd.ndim() - src.ndim();
      Shape slice(upd.shape().begin() + nb, upd.shape().end());
      array each = multiply(multiply(gather(src, idx, axes_, slice, op_), parts.others), t_upd);
      t = scatter_add(t, idx, each, axes_);
    }
    return {t};
  }
  if (!selects(type_)) {
    return {scatter(t_src.valid() ? t_src : zeros_like(src), idx, t_upd.valid() ? t_upd : zeros_like(upd), axes_,
                    type_, op_)};
  }
  // max/min: each output element follows whichever input it came from.
  array result = scatter(src, idx, upd, axes_, type_, op_);
  int nb = upd.ndim() - src.ndim();
  Shape slice(upd.shape().begin() + nb, upd.shape().end());
  array t = t_src.valid() ? multiply(t_src, match_mask(result, src)) : zeros_like(src);
  if (t_upd.valid()) {
    array won = match_mask(gather(result, idx, axes_, slice, op_), upd);
    t = scatter_add(t, idx, multiply(t_upd, won), axes_);
  }
  return {t};
}

// ---- vmap rules: loop-free, the batch axis becomes one more indexed axis ---------------

namespace {

// arange(n) on the first axis of `shape`, broadcast over the rest: batch element b uses
// index b.
array batch_index(int n, const Shape& shape) {
  Shape s(shape.size(), 1);
  s[0] = n;
  return broadcast_to(reshape(arange(0, n, 1, Dtype::int32), s), shape);
}

std::vector<int> shifted(const std::vector<int>& axes) {
  std::vector<int> out{0};
  for (int a : axes) out.push_back(a + 1);
  return out;
}

}  // namespace

std::pair<std::vector<array>, std::vector<int>> Gather::vmap(const std::vector<array>& in_,
                                                             const std::vector<int>& axes) {
  std::vector<array> in = in_;
  int n = vmap_util::to_front(in, axes);
  array src = in[0];
  std::vector<array> idx(in.begin() + 1, in.end());
  bool idx_batched = std::any_of(axes.begin() + 1, axes.end(), [](int a) { return a >= 0; });
  if (!idx_batched) {
    // Only the source is batched: every slice takes the whole batch axis, which lands
    // right after the index axes B.
    Shape sizes = slice_sizes_;
    sizes.insert(sizes.begin(), n);
    std::vector<int> ax = shifted(axes_);
    ax.erase(ax.begin());
    int nb = idx.empty() ? 0 : idx[0].ndim();
    return {{gather(src, idx, ax, sizes, op_)}, {nb}};
  }
  for (size_t i = 0; i < idx.size(); ++i)
    if (axes[i + 1] < 0) idx[i] = vmap_util::batch_broadcast(idx[i], n);
  // Batched indices into an unbatched source: the batch is one more index axis.
  if (axes[0] < 0) return {{gather(src, idx, axes_, slice_sizes_, op_)}, {0}};
  // Both batched: batch element b reads source b, through an arange index on its axis;
  // the size-1 slice of that axis is then dropped.
  Shape b = idx[0].shape();
  idx.insert(idx.begin(), batch_index(n, b));
  Shape sizes = slice_sizes_;
  sizes.insert(sizes.begin(), 1);
  array g = gather(src, idx, shifted(axes_), sizes, op_);
  Shape s = g.shape();
  s.erase(s.begin() + b.size());
  return {{reshape(g, s)}, {0}};
}

std::pair<std::vector<array>, std::vector<int>> Scatter::vmap(const std::vector<array>& in_,
                                                              const std::vector<int>& axes) {
  // Every operand gets the batch axis in front (unbatched ones broadcast along it); the
  // batch axis of the source is indexed by an arange, so batch element b writes only into
  // source b.
  std::vector<array> in = in_;
  int n = vmap_util::to_front_all(in, axes);
  const array& src = in[0];
  array upd = in.back();
  int nb = upd.ndim() - src.ndim();  // the rank of the unbatched index shape B
  Shape b(upd.shape().begin(), upd.shape().begin() + 1 + nb);
  std::vector<array> idx{batch_index(n, b)};
  idx.insert(idx.end(), in.begin() + 1, in.end() - 1);
  Shape s = upd.shape();
  s.insert(s.begin() + 1 + nb, 1);
  return {{scatter(src, idx, reshape(upd, s), shifted(axes_), type_, op_)}, {0}};
}

}  // namespace mlx

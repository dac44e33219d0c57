#include "primitives_indexing.h"

#include <stdexcept>

#include "kernels/binary.h"
#include "kernels/gather.h"
#include "ops.h"
#include "ops_indexing.h"

namespace mlx {

namespace {

// Index arrays are integers: asking for their gradient is a usage error.
[[noreturn]] void index_gradient(const std::string& op) {
  throw std::invalid_argument("[" + op +
                              "] Cannot calculate the gradient with respect to the indices; wrap them in "
                              "stopGradient.");
}

struct MatchOp {
  template <typename T>
  T operator()(T a, T b) const {
    return a == b ? T(1) : T(0);
  }
};

array match_mask(const array& a, const array& b) {
  return array(a.shape(), a.dtype(), std::make_shared<MatchMask>(), {a, b});
}

bool selects(ScatterType t) { return t == ScatterType::Max || t == ScatterType::Min; }

}  // namespace

void MatchMask::eval(const std::vector<array>& in, array& out) { binary_eval(in[0], in[1], out, MatchOp{}); }
std::vector<array> MatchMask::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                  const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> out;
  for (int i : argnums) out.push_back(zeros_like(primals[i]));
  return out;
}
std::vector<array> MatchMask::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                  const std::vector<int>&) {
  return {zeros_like(primals[0])};
}

void Gather::eval(const std::vector<array>& in, array& out) {
  std::vector<array> idx(in.begin() + 1, in.end());
  gather_eval(in[0], idx, axes_, slice_sizes_, out, op_);
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
  if (type_ == ScatterType::Prod) {
    throw std::invalid_argument("[scatter_prod] The vjp is not implemented yet.");
  }
  int nb = upd.ndim() - src.ndim();
  Shape slice(upd.shape().begin() + nb, upd.shape().end());
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
  if (type_ == ScatterType::Prod) {
    throw std::invalid_argument("[scatter_prod] The jvp is not implemented yet.");
  }
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

}  // namespace mlx

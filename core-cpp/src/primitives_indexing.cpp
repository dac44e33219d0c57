#include "primitives_indexing.h"

#include <stdexcept>

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

}  // namespace

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
                                const std::vector<int>& argnums, const std::vector<array>&) {
  std::vector<array> idx(primals.begin() + 1, primals.end() - 1);
  const array& upd = primals.back();
  int last = static_cast<int>(primals.size()) - 1;
  if (type_ != ScatterType::None && type_ != ScatterType::Sum) {
    throw std::invalid_argument(std::string("[") + scatter_op_name(type_) + "] The vjp is not implemented yet.");
  }
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) {
      // Overwritten elements get no gradient; added-to elements pass it through.
      out.push_back(type_ == ScatterType::None ? scatter(cot[0], idx, zeros_like(upd), axes_) : cot[0]);
    } else if (i == last) {
      int nb = upd.ndim() - cot[0].ndim();
      Shape slice(upd.shape().begin() + nb, upd.shape().end());
      out.push_back(gather(cot[0], idx, axes_, slice, op_));
    } else {
      index_gradient(op_);
    }
  }
  return out;
}
std::vector<array> Scatter::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                const std::vector<int>& argnums) {
  if (type_ != ScatterType::None && type_ != ScatterType::Sum) {
    throw std::invalid_argument(std::string("[") + scatter_op_name(type_) + "] The jvp is not implemented yet.");
  }
  std::vector<array> idx(primals.begin() + 1, primals.end() - 1);
  int last = static_cast<int>(primals.size()) - 1;
  array t_src = zeros_like(primals[0]), t_upd = zeros_like(primals.back());
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == 0) t_src = tan[k];
    else if (argnums[k] == last) t_upd = tan[k];
    else index_gradient(op_);
  }
  return {scatter(t_src, idx, t_upd, axes_, type_, op_)};
}

}  // namespace mlx

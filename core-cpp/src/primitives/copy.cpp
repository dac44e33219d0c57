#include "primitives/copy.h"

#include "backend/cpu/copy.h"
#include "ops.h"

namespace mlx {

namespace {
using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

// Each of these nodes keeps the batch axis where it is.
template <typename F>
VmapResult vmap_unary(const std::vector<array>& in, const std::vector<int>& axes, F op) {
  return {{op(in[0])}, {axes[0]}};
}

}  // namespace

void AsType::eval(const std::vector<array>& in, array& out) { copy_to_output(in[0], out); }
std::vector<array> AsType::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>&, const std::vector<array>&) {
  return {astype(cot[0], primals[0].dtype())};
}
std::vector<array> AsType::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>&) {
  return {astype(tan[0], dtype_)};
}
VmapResult AsType::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [this](const array& x) { return astype(x, dtype_); });
}

void Copy::eval(const std::vector<array>& in, array& out) { out.copy_shared_buffer(in[0]); }
std::vector<array> Copy::vjp(const std::vector<array>&, const std::vector<array>& cot,
                             const std::vector<int>&, const std::vector<array>&) {
  return {cot[0]};
}
std::vector<array> Copy::jvp(const std::vector<array>&, const std::vector<array>& tan, const std::vector<int>&) {
  return {tan[0]};
}
VmapResult Copy::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return copy(x); });
}

void StopGradient::eval(const std::vector<array>& in, array& out) { out.copy_shared_buffer(in[0]); }
std::vector<array> StopGradient::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>&, const std::vector<array>&) {
  return {zeros_like(primals[0])};
}
std::vector<array> StopGradient::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                     const std::vector<int>&) {
  return {zeros_like(primals[0])};
}
VmapResult StopGradient::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  return vmap_unary(in, axes, [](const array& x) { return stop_gradient(x); });
}

}  // namespace mlx

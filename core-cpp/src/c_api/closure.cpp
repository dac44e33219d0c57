#include "closure.h"

#include <memory>
#include <stdexcept>

#include "handles.h"
#include "host.h"

namespace mlx {

Closure::~Closure() { capi::host_release(id_); }

std::vector<array> Closure::operator()(const std::vector<array>& inputs) const {
  // The vectors are owned here so they are freed however the host returns.
  auto in = std::make_unique<mlxc_vector_s>();
  in->values = inputs;
  auto out = std::make_unique<mlxc_vector_s>();
  if (capi::host_call(id_, in.get(), out.get()) != 0) {
    throw std::runtime_error("[closure] The host function failed.");
  }
  for (auto& a : out->values) {
    if (!a.valid()) throw std::runtime_error("[closure] The host function returned an invalid array.");
  }
  return std::move(out->values);
}

}  // namespace mlx

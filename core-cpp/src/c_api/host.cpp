#include "host.h"

#include <stdexcept>

#if defined(__wasm__)
extern "C" {
__attribute__((import_module("env"), import_name("mlxc_host_call"))) int mlxc_host_call(
    uint32_t id, mlxc_vector inputs, mlxc_vector outputs);
__attribute__((import_module("env"), import_name("mlxc_host_release"))) void mlxc_host_release(
    uint32_t id);
}

void mlxc_set_host_callbacks(mlxc_host_call_fn, mlxc_host_release_fn) {}

namespace mlx::capi {
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  return mlxc_host_call(id, inputs, outputs);
}
void host_release(uint32_t id) { mlxc_host_release(id); }
}  // namespace mlx::capi

#else

namespace {
mlxc_host_call_fn g_call = nullptr;
mlxc_host_release_fn g_release = nullptr;
}  // namespace

void mlxc_set_host_callbacks(mlxc_host_call_fn call, mlxc_host_release_fn release) {
  g_call = call;
  g_release = release;
}

namespace mlx::capi {
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  if (!g_call) throw std::runtime_error("[closure] No host callbacks are registered.");
  return g_call(id, inputs, outputs);
}
void host_release(uint32_t id) {
  if (g_release) g_release(id);
}
}  // namespace mlx::capi

#endif

// How the core reaches the host's callbacks: imports in wasm, registered pointers natively.
#pragma once

#include "mlxc.h"

namespace mlx::capi {

int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs);
void host_release(uint32_t id);

}  // namespace mlx::capi

// The objects behind the C ABI's opaque handles.
#pragma once

#include <memory>
#include <vector>

#include "../array.h"
#include "../closure.h"
#include "mlxc.h"

struct mlxc_array_s {
  mlx::array value;
};
struct mlxc_vector_s {
  std::vector<mlx::array> values;
};
struct mlxc_closure_s {
  std::shared_ptr<mlx::Closure> value;
};

namespace mlx::capi {

inline mlxc_array wrap(array a) { return new mlxc_array_s{std::move(a)}; }
// Throws (becoming an error status) for a null handle instead of crashing.
const array& unwrap(mlxc_array h);

}  // namespace mlx::capi

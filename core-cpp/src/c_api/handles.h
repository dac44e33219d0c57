// The objects behind the C ABI's opaque handles.
#pragma once

#include <memory>
#include <vector>

#include "../array.h"
#include "closure.h"
#include "transforms/eval_grad.h"
#include "mlxc.h"

struct mlxc_array_s {
  mlx::array value;
};
struct mlxc_vector_s {
  std::vector<mlx::array> values;
};
// A closure handle holds a core Function: a host function (through mlx::Closure, released
// when the last copy of the Function goes) or one the core made, such as a compiled one.
struct mlxc_closure_s {
  mlx::Function value;
};

namespace mlx::capi {

inline mlxc_array wrap(array a) { return new mlxc_array_s{std::move(a)}; }
// Throws (becoming an error status) for a null handle instead of crashing.
const array& unwrap(mlxc_array h);

}  // namespace mlx::capi

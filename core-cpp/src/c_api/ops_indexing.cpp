// C ABI registrations of integer-array indexing.
#include <stdexcept>
#include <string>

#include "ops/indexing.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// scatter family: a, k index arrays, updates (k + 2 inputs); axes has k entries.
template <ScatterType T>
Arrays scatter_adapter(const Arrays& in, Params& p) {
  auto axes = p.axes("axes");
  if (in.size() < 2) throw std::invalid_argument(std::string("[") + scatter_op_name(T) + "] Expected an array and updates.");
  Arrays idx(in.begin() + 1, in.end() - 1);
  return {scatter(in[0], idx, in.back(), axes, T)};
}

const OpList indexing_ops{
    // gather: a, k index arrays (k + 1 inputs); axes has k entries
    {"gather", -1, "axes:int[] slice_sizes:int[]", [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes("axes");
       Shape sizes = p.ints("slice_sizes");
       if (in.empty()) throw std::invalid_argument("[gather] Expected an array to gather from.");
       Arrays idx(in.begin() + 1, in.end());
       return {gather(in[0], idx, axes, sizes)};
     }},
    {"scatter", -1, "axes:int[]", scatter_adapter<ScatterType::None>},
    {"scatter_add", -1, "axes:int[]", scatter_adapter<ScatterType::Sum>},
    {"scatter_prod", -1, "axes:int[]", scatter_adapter<ScatterType::Prod>},
    {"scatter_max", -1, "axes:int[]", scatter_adapter<ScatterType::Max>},
    {"scatter_min", -1, "axes:int[]", scatter_adapter<ScatterType::Min>},
    // take: a, indices; no axis: the flattened array
    {"take", 2, "axis:int?", [](const Arrays& in, Params& p) -> Arrays { return {take(in[0], in[1], p.opt_int("axis"))}; }},
    {"take_along_axis", 2, "axis:int", [](const Arrays& in, Params& p) -> Arrays {
       return {take_along_axis(in[0], in[1], p.int_("axis"))};
     }},
    // put_along_axis: a, indices, values
    {"put_along_axis", 3, "axis:int", [](const Arrays& in, Params& p) -> Arrays {
       return {put_along_axis(in[0], in[1], in[2], p.int_("axis"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

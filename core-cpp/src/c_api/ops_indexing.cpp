// C ABI registrations of integer-array indexing.
#include <stdexcept>
#include <string>

#include "ops/indexing.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// scatter family: a, k index arrays, updates (k + 2 inputs); axes list (k entries).
template <ScatterType T>
Arrays scatter_adapter(const Arrays& in, Params& p) {
  auto axes = p.ints();
  if (in.size() < 2) throw std::invalid_argument(std::string("[") + scatter_op_name(T) + "] Expected an array and updates.");
  Arrays idx(in.begin() + 1, in.end() - 1);
  return {scatter(in[0], idx, in.back(), std::vector<int>(axes.begin(), axes.end()), T)};
}

const OpList indexing_ops{
    // gather: a, k index arrays (k + 1 inputs); axes list (k entries), slice_sizes list
    {"gather", -1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.ints();
       Shape sizes = p.ints();
       if (in.empty()) throw std::invalid_argument("[gather] Expected an array to gather from.");
       Arrays idx(in.begin() + 1, in.end());
       return {gather(in[0], idx, std::vector<int>(axes.begin(), axes.end()), sizes)};
     }},
    {"scatter", -1, scatter_adapter<ScatterType::None>},
    {"scatter_add", -1, scatter_adapter<ScatterType::Sum>},
    {"scatter_prod", -1, scatter_adapter<ScatterType::Prod>},
    {"scatter_max", -1, scatter_adapter<ScatterType::Max>},
    {"scatter_min", -1, scatter_adapter<ScatterType::Min>},
    // take: a, indices; has_axis flag, axis
    {"take", 2, [](const Arrays& in, Params& p) -> Arrays {
       bool has_axis = p.flag();
       int axis = p.int_();
       return {take(in[0], in[1], has_axis ? std::optional<int>(axis) : std::nullopt)};
     }},
    // take_along_axis: a, indices; axis
    {"take_along_axis", 2, [](const Arrays& in, Params& p) -> Arrays {
       return {take_along_axis(in[0], in[1], p.int_())};
     }},
    // put_along_axis: a, indices, values; axis
    {"put_along_axis", 3, [](const Arrays& in, Params& p) -> Arrays {
       return {put_along_axis(in[0], in[1], in[2], p.int_())};
     }},
};

}  // namespace
}  // namespace mlx::capi

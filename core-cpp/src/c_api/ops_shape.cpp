// C ABI registrations of the shape family. Parameters are read into locals first: C++
// leaves the order of evaluation of function arguments unspecified.
#include <stdexcept>

#include "ops/shape.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

std::optional<int> optional_axis(Params& p) {
  bool has = p.flag();
  int axis = p.int_();
  return has ? std::optional<int>(axis) : std::nullopt;
}

const OpList shape_ops{
    // flatten: a; start_axis, end_axis
    {"flatten", 1, [](const Arrays& in, Params& p) -> Arrays {
       int s = p.int_();
       int e = p.int_();
       return {flatten(in[0], s, e)};
     }},
    // unflatten: a; axis, shape list
    {"unflatten", 1, [](const Arrays& in, Params& p) -> Arrays {
       int axis = p.int_();
       Shape shape = p.ints();
       return {unflatten(in[0], axis, shape)};
     }},
    // squeeze: a; axes (optional list)
    {"squeeze", 1, [](const Arrays& in, Params& p) -> Arrays { return {squeeze(in[0], p.axes())}; }},
    // expand_dims: a; axes list
    {"expand_dims", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.ints();
       return {expand_dims(in[0], std::vector<int>(axes.begin(), axes.end()))};
     }},
    // swapaxes: a; axis1, axis2
    {"swapaxes", 1, [](const Arrays& in, Params& p) -> Arrays {
       int a1 = p.int_();
       int a2 = p.int_();
       return {swapaxes(in[0], a1, a2)};
     }},
    // moveaxis: a; source, destination
    {"moveaxis", 1, [](const Arrays& in, Params& p) -> Arrays {
       int s = p.int_();
       int d = p.int_();
       return {moveaxis(in[0], s, d)};
     }},
    {"atleast_1d", 1, [](const Arrays& in, Params&) -> Arrays { return {atleast_1d(in[0])}; }},
    {"atleast_2d", 1, [](const Arrays& in, Params&) -> Arrays { return {atleast_2d(in[0])}; }},
    {"atleast_3d", 1, [](const Arrays& in, Params&) -> Arrays { return {atleast_3d(in[0])}; }},
    // broadcast_arrays: any number of arrays; returns as many
    {"broadcast_arrays", -1, [](const Arrays& in, Params&) -> Arrays { return broadcast_arrays(in); }},
    // concatenate: any number of arrays; has_axis flag, axis (no axis: flattened inputs)
    {"concatenate", -1, [](const Arrays& in, Params& p) -> Arrays {
       auto axis = optional_axis(p);
       return {concatenate(in, axis)};
     }},
    // stack: any number of arrays; axis
    {"stack", -1, [](const Arrays& in, Params& p) -> Arrays { return {stack(in, p.int_())}; }},
    // split: a; by_indices flag, then sections (int) or indices (list); axis
    {"split", 1, [](const Arrays& in, Params& p) -> Arrays {
       if (p.flag()) {
         auto idx = p.ints();
         int axis = p.int_();
         return split(in[0], std::vector<int>(idx.begin(), idx.end()), axis);
       }
       int sections = p.int_();
       int axis = p.int_();
       return split(in[0], sections, axis);
     }},
    // tile: a; reps list
    {"tile", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto reps = p.ints();
       return {tile(in[0], std::vector<int>(reps.begin(), reps.end()))};
     }},
    // repeat: a; repeats, has_axis flag, axis
    {"repeat", 1, [](const Arrays& in, Params& p) -> Arrays {
       int repeats = p.int_();
       auto axis = optional_axis(p);
       return {repeat(in[0], repeats, axis)};
     }},
    // pad: a, constant value (scalar array); widths list (before0, after0, before1, ...), mode (0 constant, 1 edge)
    {"pad", 2, [](const Arrays& in, Params& p) -> Arrays {
       auto flat = p.ints();
       int mode = p.int_();
       if (flat.size() % 2 != 0) throw std::invalid_argument("[pad] Padding widths must come in (before, after) pairs.");
       if (mode != 0 && mode != 1) throw std::invalid_argument("[pad] Invalid padding mode.");
       std::vector<std::pair<int, int>> widths;
       for (size_t i = 0; i < flat.size(); i += 2) widths.emplace_back(flat[i], flat[i + 1]);
       return {pad(in[0], widths, in[1], mode == 0 ? PadMode::Constant : PadMode::Edge)};
     }},
    // roll: a; shifts list, axes (optional list)
    {"roll", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto shifts = p.ints();
       auto axes = p.axes();
       return {roll(in[0], std::vector<int>(shifts.begin(), shifts.end()), axes)};
     }},
    // flip: a; axes (optional list)
    {"flip", 1, [](const Arrays& in, Params& p) -> Arrays { return {flip(in[0], p.axes())}; }},
    // diag: a; k
    {"diag", 1, [](const Arrays& in, Params& p) -> Arrays { return {diag(in[0], p.int_())}; }},
    // diagonal: a; offset, axis1, axis2
    {"diagonal", 1, [](const Arrays& in, Params& p) -> Arrays {
       int offset = p.int_();
       int a1 = p.int_();
       int a2 = p.int_();
       return {diagonal(in[0], offset, a1, a2)};
     }},
    // trace: a; offset, axis1, axis2, has_dtype flag, dtype code
    {"trace", 1, [](const Arrays& in, Params& p) -> Arrays {
       int offset = p.int_();
       int a1 = p.int_();
       int a2 = p.int_();
       bool has = p.flag();
       Dtype dt = p.dtype();
       return {trace(in[0], offset, a1, a2, has ? std::optional<Dtype>(dt) : std::nullopt)};
     }},
};

}  // namespace
}  // namespace mlx::capi

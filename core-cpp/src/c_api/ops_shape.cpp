// C ABI registrations of the shape family. Parameters are read into locals first: C++
// leaves the order of evaluation of function arguments unspecified.
#include <stdexcept>

#include "ops.h"
#include "ops/shape.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList shape_ops{
    {"reshape", 1, "shape:int[]", [](const Arrays& in, Params& p) -> Arrays { return {reshape(in[0], p.ints("shape"))}; }},
    // transpose: no axes: reversed
    {"transpose", 1, "axes:int[]?", [](const Arrays& in, Params& p) -> Arrays {
       return {transpose(in[0], p.opt_axes("axes"))};
     }},
    {"broadcast_to", 1, "shape:int[]", [](const Arrays& in, Params& p) -> Arrays {
       return {broadcast_to(in[0], p.ints("shape"))};
     }},
    {"flatten", 1, "start_axis:int end_axis:int", [](const Arrays& in, Params& p) -> Arrays {
       int s = p.int_("start_axis");
       int e = p.int_("end_axis");
       return {flatten(in[0], s, e)};
     }},
    {"unflatten", 1, "axis:int shape:int[]", [](const Arrays& in, Params& p) -> Arrays {
       int axis = p.int_("axis");
       Shape shape = p.ints("shape");
       return {unflatten(in[0], axis, shape)};
     }},
    // squeeze: no axes: every size-1 axis
    {"squeeze", 1, "axes:int[]?", [](const Arrays& in, Params& p) -> Arrays { return {squeeze(in[0], p.opt_axes("axes"))}; }},
    {"expand_dims", 1, "axes:int[]", [](const Arrays& in, Params& p) -> Arrays {
       return {expand_dims(in[0], p.axes("axes"))};
     }},
    {"swapaxes", 1, "axis1:int axis2:int", [](const Arrays& in, Params& p) -> Arrays {
       int a1 = p.int_("axis1");
       int a2 = p.int_("axis2");
       return {swapaxes(in[0], a1, a2)};
     }},
    {"moveaxis", 1, "source:int destination:int", [](const Arrays& in, Params& p) -> Arrays {
       int s = p.int_("source");
       int d = p.int_("destination");
       return {moveaxis(in[0], s, d)};
     }},
    {"atleast_1d", 1, "", [](const Arrays& in, Params&) -> Arrays { return {atleast_1d(in[0])}; }},
    {"atleast_2d", 1, "", [](const Arrays& in, Params&) -> Arrays { return {atleast_2d(in[0])}; }},
    {"atleast_3d", 1, "", [](const Arrays& in, Params&) -> Arrays { return {atleast_3d(in[0])}; }},
    // broadcast_arrays: any number of arrays; returns as many
    {"broadcast_arrays", -1, "", [](const Arrays& in, Params&) -> Arrays { return broadcast_arrays(in); }},
    // concatenate: any number of arrays; no axis: the flattened inputs
    {"concatenate", -1, "axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       return {concatenate(in, p.opt_int("axis"))};
     }},
    // stack: any number of arrays
    {"stack", -1, "axis:int", [](const Arrays& in, Params& p) -> Arrays { return {stack(in, p.int_("axis"))}; }},
    // split: exactly one of indices and sections
    {"split", 1, "indices:int[]? sections:int? axis:int", [](const Arrays& in, Params& p) -> Arrays {
       auto idx = p.opt_axes("indices");
       auto sections = p.opt_int("sections");
       int axis = p.int_("axis");
       if (idx.has_value() == sections.has_value()) {
         throw std::invalid_argument("[split] Expected exactly one of indices and sections.");
       }
       return idx ? split(in[0], *idx, axis) : split(in[0], *sections, axis);
     }},
    {"tile", 1, "reps:int[]", [](const Arrays& in, Params& p) -> Arrays { return {tile(in[0], p.axes("reps"))}; }},
    // repeat: no axis: the flattened array
    {"repeat", 1, "repeats:int axis:int?", [](const Arrays& in, Params& p) -> Arrays {
       int repeats = p.int_("repeats");
       return {repeat(in[0], repeats, p.opt_int("axis"))};
     }},
    // pad: a, constant value (scalar array); pad_width flat (before0, after0, before1, ...)
    {"pad", 2, "pad_width:int[] mode:enum(constant|edge)", [](const Arrays& in, Params& p) -> Arrays {
       auto flat = p.ints("pad_width");
       int mode = p.choice("mode");
       if (flat.size() % 2 != 0) throw std::invalid_argument("[pad] Padding widths must come in (before, after) pairs.");
       std::vector<std::pair<int, int>> widths;
       for (size_t i = 0; i < flat.size(); i += 2) widths.emplace_back(flat[i], flat[i + 1]);
       return {pad(in[0], widths, in[1], mode == 0 ? PadMode::Constant : PadMode::Edge)};
     }},
    // roll: no axes: the flattened array
    {"roll", 1, "shift:int[] axes:int[]?", [](const Arrays& in, Params& p) -> Arrays {
       auto shifts = p.axes("shift");
       return {roll(in[0], shifts, p.opt_axes("axes"))};
     }},
    // flip: no axes: every axis
    {"flip", 1, "axes:int[]?", [](const Arrays& in, Params& p) -> Arrays { return {flip(in[0], p.opt_axes("axes"))}; }},
    {"diag", 1, "k:int", [](const Arrays& in, Params& p) -> Arrays { return {diag(in[0], p.int_("k"))}; }},
    {"diagonal", 1, "offset:int axis1:int axis2:int", [](const Arrays& in, Params& p) -> Arrays {
       int offset = p.int_("offset");
       int a1 = p.int_("axis1");
       int a2 = p.int_("axis2");
       return {diagonal(in[0], offset, a1, a2)};
     }},
    {"trace", 1, "offset:int axis1:int axis2:int dtype:dtype?", [](const Arrays& in, Params& p) -> Arrays {
       int offset = p.int_("offset");
       int a1 = p.int_("axis1");
       int a2 = p.int_("axis2");
       return {trace(in[0], offset, a1, a2, p.opt_dtype("dtype"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

// C ABI registrations of the first op slice (creation, arithmetic, sum/mean/max, views,
// astype, matmul, stop_gradient).
#include "../ops.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList basic_ops{
    {"add", 2, [](const Arrays& in, Params&) -> Arrays { return {add(in[0], in[1])}; }},
    {"subtract", 2, [](const Arrays& in, Params&) -> Arrays { return {subtract(in[0], in[1])}; }},
    {"multiply", 2, [](const Arrays& in, Params&) -> Arrays { return {multiply(in[0], in[1])}; }},
    {"divide", 2, [](const Arrays& in, Params&) -> Arrays { return {divide(in[0], in[1])}; }},
    {"negative", 1, [](const Arrays& in, Params&) -> Arrays { return {negative(in[0])}; }},
    {"exp", 1, [](const Arrays& in, Params&) -> Arrays { return {exp(in[0])}; }},
    {"log", 1, [](const Arrays& in, Params&) -> Arrays { return {log(in[0])}; }},
    {"tanh", 1, [](const Arrays& in, Params&) -> Arrays { return {tanh(in[0])}; }},
    // sum/mean/max: axes (optional), keepdims
    {"sum", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {sum(in[0], axes, p.flag())};
     }},
    {"mean", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {mean(in[0], axes, p.flag())};
     }},
    {"max", 1, [](const Arrays& in, Params& p) -> Arrays {
       auto axes = p.axes();
       return {max(in[0], axes, p.flag())};
     }},
    {"reshape", 1, [](const Arrays& in, Params& p) -> Arrays { return {reshape(in[0], p.ints())}; }},
    {"transpose", 1, [](const Arrays& in, Params& p) -> Arrays { return {transpose(in[0], p.axes())}; }},
    {"broadcast_to", 1, [](const Arrays& in, Params& p) -> Arrays { return {broadcast_to(in[0], p.ints())}; }},
    // view: a; dtype
    {"view", 1, [](const Arrays& in, Params& p) -> Arrays { return {view(in[0], p.dtype())}; }},
    {"astype", 1, [](const Arrays& in, Params& p) -> Arrays { return {astype(in[0], p.dtype())}; }},
    {"matmul", 2, [](const Arrays& in, Params&) -> Arrays { return {matmul(in[0], in[1])}; }},
    {"stop_gradient", 1, [](const Arrays& in, Params&) -> Arrays { return {stop_gradient(in[0])}; }},
    // arange: reals start, stop, step; dtype
    {"arange", 0, [](const Arrays&, Params& p) -> Arrays {
       double start = p.real(), stop = p.real(), step = p.real();
       return {arange(start, stop, step, p.dtype())};
     }},
    // full: value array; shape, dtype
    {"full", 1, [](const Arrays& in, Params& p) -> Arrays {
       Shape shape = p.ints();
       return {full(std::move(shape), in[0], p.dtype())};
     }},
};

}  // namespace
}  // namespace mlx::capi

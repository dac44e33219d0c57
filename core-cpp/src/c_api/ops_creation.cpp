// C ABI registrations of the creation family.
#include "ops.h"
#include "ops/creation.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList creation_ops{
    {"arange", 0, "start:real stop:real step:real dtype:dtype", [](const Arrays&, Params& p) -> Arrays {
       double start = p.real("start"), stop = p.real("stop"), step = p.real("step");
       return {arange(start, stop, step, p.dtype("dtype"))};
     }},
    // full: inputs the value (an array)
    {"full", 1, "shape:int[] dtype:dtype", [](const Arrays& in, Params& p) -> Arrays {
       Shape shape = p.ints("shape");
       return {full(std::move(shape), in[0], p.dtype("dtype"))};
     }},
    {"linspace", 0, "start:real stop:real num:int dtype:dtype", [](const Arrays&, Params& p) -> Arrays {
       double start = p.real("start"), stop = p.real("stop");
       int num = p.int_("num");
       return {linspace(start, stop, num, p.dtype("dtype"))};
     }},
    {"eye", 0, "n:int m:int k:int dtype:dtype", [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_("n"), m = p.int_("m"), k = p.int_("k");
       return {eye(n, m, k, p.dtype("dtype"))};
     }},
    {"tri", 0, "n:int m:int k:int dtype:dtype", [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_("n"), m = p.int_("m"), k = p.int_("k");
       return {tri(n, m, k, p.dtype("dtype"))};
     }},
    {"tril", 1, "k:int", [](const Arrays& in, Params& p) -> Arrays { return {tril(in[0], p.int_("k"))}; }},
    {"triu", 1, "k:int", [](const Arrays& in, Params& p) -> Arrays { return {triu(in[0], p.int_("k"))}; }},
    // meshgrid: any number of arrays; returns as many
    {"meshgrid", -1, "sparse:bool indexing:enum(xy|ij)", [](const Arrays& in, Params& p) -> Arrays {
       bool sparse = p.flag("sparse");
       return meshgrid(in, sparse, p.choice("indexing") == 0 ? "xy" : "ij");
     }},
};

}  // namespace
}  // namespace mlx::capi

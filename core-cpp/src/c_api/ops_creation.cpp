// C ABI registrations of the creation extras.
#include "ops/creation.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList creation_ops{
    // linspace: reals start, stop; int num, dtype
    {"linspace", 0, [](const Arrays&, Params& p) -> Arrays {
       double start = p.real(), stop = p.real();
       int num = p.int_();
       return {linspace(start, stop, num, p.dtype())};
     }},
    // eye / tri: ints n, m, k, dtype
    {"eye", 0, [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_(), m = p.int_(), k = p.int_();
       return {eye(n, m, k, p.dtype())};
     }},
    {"tri", 0, [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_(), m = p.int_(), k = p.int_();
       return {tri(n, m, k, p.dtype())};
     }},
    // tril / triu: int k
    {"tril", 1, [](const Arrays& in, Params& p) -> Arrays { return {tril(in[0], p.int_())}; }},
    {"triu", 1, [](const Arrays& in, Params& p) -> Arrays { return {triu(in[0], p.int_())}; }},
    // meshgrid: any number of arrays; flag sparse, int indexing (0 "xy", 1 "ij", else an error)
    {"meshgrid", -1, [](const Arrays& in, Params& p) -> Arrays {
       bool sparse = p.flag();
       int ix = p.int_();
       return meshgrid(in, sparse, ix == 0 ? "xy" : ix == 1 ? "ij" : "invalid");
     }},
};

}  // namespace
}  // namespace mlx::capi

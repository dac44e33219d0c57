// C ABI registrations of the fft module (ops/fft.h). One op, fftn, carries every transform
// (complex or real, forward or inverse, MLX's `norm`); the TypeScript functions fft, ifft2,
// rfftn, ... choose its parameters. Absent `n`/`axes` mean MLX's defaults.
#include "ops/fft.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

const OpList fft_ops{
    {"fftn", 1, "n:int[]? axes:int[]? real:bool inverse:bool norm:enum(backward|ortho|forward)",
     [](const Arrays& in, Params& p) -> Arrays {
       auto n = p.opt_shape("n");
       auto axes = p.opt_axes("axes");
       bool real = p.flag("real");
       bool inverse = p.flag("inverse");
       auto norm = fft::FFTNorm(p.choice("norm"));
       return {fft::fft_impl(in[0], n, axes, real, inverse, norm)};
     }},
    {"fftshift", 1, "axes:int[]?",
     [](const Arrays& in, Params& p) -> Arrays { return {fft::fftshift(in[0], p.opt_axes("axes"))}; }},
    {"ifftshift", 1, "axes:int[]?",
     [](const Arrays& in, Params& p) -> Arrays { return {fft::ifftshift(in[0], p.opt_axes("axes"))}; }},
    {"fftfreq", 0, "n:int d:real",
     [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_("n");
       return {fft::fftfreq(n, p.real("d"))};
     }},
    {"rfftfreq", 0, "n:int d:real",
     [](const Arrays&, Params& p) -> Arrays {
       int n = p.int_("n");
       return {fft::rfftfreq(n, p.real("d"))};
     }},
};

}  // namespace
}  // namespace mlx::capi

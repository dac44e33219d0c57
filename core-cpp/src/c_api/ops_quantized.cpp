// C ABI registrations of the quantization ops: quantize, dequantize, quantized_matmul,
// gather_qmm, qqmm. `mode` travels as an enum of MLX's four names; optional arrays (biases, the
// index arrays) as flags saying which inputs follow.
#include <optional>
#include <stdexcept>
#include <string>

#include "ops/gather_qmm.h"
#include "ops/quantized.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

std::string mode_of(Params& p) { return quantization_mode_name(QuantizationMode(p.choice("mode"))); }

void check_inputs(const char* op, const Arrays& in, size_t n) {
  if (in.size() != n) {
    throw std::invalid_argument(std::string("[") + op + "] Expected " + std::to_string(n) + " array inputs, got " +
                                std::to_string(in.size()) + ".");
  }
}

const OpList quantized_ops{
    // quantize: input w [, global_scale] -> wq, scales, biases
    {"quantize", -1, "group_size:int? bits:int? mode:enum(affine|mxfp4|mxfp8|nvfp4) has_global_scale:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       auto gs = p.opt_int("group_size");
       auto bits = p.opt_int("bits");
       std::string mode = mode_of(p);
       bool has_g = p.flag("has_global_scale");
       check_inputs("quantize", in, has_g ? 2 : 1);
       std::optional<array> g;
       if (has_g) g = in[1];
       return quantize(in[0], gs, bits, mode, g);
     }},
    // dequantize: inputs wq, scales [, biases] [, global_scale]
    {"dequantize", -1,
     "has_biases:bool group_size:int? bits:int? mode:enum(affine|mxfp4|mxfp8|nvfp4) dtype:dtype? "
     "has_global_scale:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       bool has_b = p.flag("has_biases");
       auto gs = p.opt_int("group_size");
       auto bits = p.opt_int("bits");
       std::string mode = mode_of(p);
       auto dtype = p.opt_dtype("dtype");
       bool has_g = p.flag("has_global_scale");
       check_inputs("dequantize", in, 2 + size_t(has_b) + size_t(has_g));
       std::optional<array> b, g;
       if (has_b) b = in[2];
       if (has_g) g = in[2 + size_t(has_b)];
       return {dequantize(in[0], in[1], b, gs, bits, mode, dtype, g)};
     }},
    // qqmm: inputs x, w [, scales] [, global_scale_x] [, global_scale_w]
    {"qqmm", -1,
     "has_scales:bool group_size:int? bits:int? mode:enum(affine|mxfp4|mxfp8|nvfp4) has_global_scale_x:bool "
     "has_global_scale_w:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       bool has_s = p.flag("has_scales");
       auto gs = p.opt_int("group_size");
       auto bits = p.opt_int("bits");
       std::string mode = mode_of(p);
       bool has_gx = p.flag("has_global_scale_x");
       bool has_gw = p.flag("has_global_scale_w");
       check_inputs("qqmm", in, 2 + size_t(has_s) + size_t(has_gx) + size_t(has_gw));
       size_t k = 2;
       std::optional<array> s, gx, gw;
       if (has_s) s = in[k++];
       if (has_gx) gx = in[k++];
       if (has_gw) gw = in[k++];
       return {qqmm(in[0], in[1], s, gs, bits, mode, gx, gw)};
     }},
    // quantized_matmul: inputs x, wq, scales [, biases]
    {"quantized_matmul", -1,
     "has_biases:bool transpose:bool group_size:int? bits:int? mode:enum(affine|mxfp4|mxfp8|nvfp4)",
     [](const Arrays& in, Params& p) -> Arrays {
       bool has_b = p.flag("has_biases");
       bool transpose = p.flag("transpose");
       auto gs = p.opt_int("group_size");
       auto bits = p.opt_int("bits");
       std::string mode = mode_of(p);
       check_inputs("quantized_matmul", in, has_b ? 4 : 3);
       std::optional<array> b;
       if (has_b) b = in[3];
       return {quantized_matmul(in[0], in[1], in[2], b, transpose, gs, bits, mode)};
     }},
    // gather_qmm: inputs x, wq, scales [, biases] [, lhs_indices] [, rhs_indices]
    {"gather_qmm", -1,
     "has_biases:bool has_lhs:bool has_rhs:bool transpose:bool group_size:int? bits:int? "
     "mode:enum(affine|mxfp4|mxfp8|nvfp4) sorted_indices:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       bool has_b = p.flag("has_biases");
       bool has_l = p.flag("has_lhs");
       bool has_r = p.flag("has_rhs");
       bool transpose = p.flag("transpose");
       auto gs = p.opt_int("group_size");
       auto bits = p.opt_int("bits");
       std::string mode = mode_of(p);
       bool sorted = p.flag("sorted_indices");
       check_inputs("gather_qmm", in, 3 + size_t(has_b) + size_t(has_l) + size_t(has_r));
       size_t k = 3;
       std::optional<array> b, l, r;
       if (has_b) b = in[k++];
       if (has_l) l = in[k++];
       if (has_r) r = in[k++];
       return {gather_qmm(in[0], in[1], in[2], b, l, r, transpose, gs, bits, mode, sorted)};
     }},
};

}  // namespace
}  // namespace mlx::capi

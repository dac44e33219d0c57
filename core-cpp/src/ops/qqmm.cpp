// MLX's qqmm (ops/quantized.h): validation and promotion as MLX's ops.cpp, then the
// QQMatmul primitive (primitives/qqmm.h).
#include <sstream>

#include "ops/quantized.h"
#include "ops/shape.h"
#include "primitives/qqmm.h"

namespace mlx {

using namespace quant_detail;

namespace {

// MLX's extract_qqmm_dims: N of the product, with w either floating [N, K] or quantized.
int qqmm_outer(const array& x, const array& w, const std::optional<array>& scales, int group_size, int bits) {
  const char* op = "qqmm";
  if (w.dtype() != Dtype::uint32) {
    if (x.shape(-1) != w.shape(-1)) {
      fail(op, "Last dimension of first input with shape " + shape_string(x.shape()) +
                   " must match last dimension of second input with shape " + shape_string(w.shape()) + ".");
    }
    return w.shape(-2);
  }
  (void)scales;
  return matmul_dims(op, x, w, /*transpose=*/true, group_size, bits).second;
}

void check_operand_type(const array& a, const char* which) {
  if (!is_floating(a.dtype()) || a.dtype() == Dtype::float64) {
    fail("qqmm", std::string("Only real floating types except float64 are supported but ") + which +
                     " argument dtype == " + dtype_name(a.dtype()) + ".");
  }
}

}  // namespace

array qqmm(const array& in_x, const array& w, const std::optional<array>& scales, std::optional<int> group_size_,
           std::optional<int> bits_, const std::string& mode, const std::optional<array>& global_scale_x,
           const std::optional<array>& global_scale_w) {
  const char* op = "qqmm";
  QuantizationMode qmode = quantization_mode(mode, op);
  if (qmode != QuantizationMode::Nvfp4 && qmode != QuantizationMode::Mxfp8) {
    fail(op, "Only 'nvfp4' and 'mxfp8' quantization modes are supported but '" + mode + "' was given.");
  }
  auto [group_size, bits] = params_of(qmode, group_size_, bits_);
  check_fp_params(op, qmode, group_size, bits);

  // As MLX: a vector x is one row; more than 2 axes (with a matrix w) are rows too.
  array x = in_x;
  if (x.ndim() == 1) x = reshape(x, {1, x.shape(0)});
  else if (w.ndim() == 2 && x.ndim() > 2) x = reshape(x, {-1, x.shape(-1)});

  if (x.ndim() > 2 || w.ndim() > 2) {
    fail(op, "Only 2D inputs are supported but x.ndim() == " + std::to_string(x.ndim()) +
                 " and w.ndim() == " + std::to_string(w.ndim()) + ".");
  }
  if (x.ndim() < 2 || w.ndim() < 2) {
    fail(op, "Only 2D inputs are supported but x.ndim() == " + std::to_string(in_x.ndim()) +
                 " and w.ndim() == " + std::to_string(w.ndim()) + ".");
  }
  const bool w_quantized = w.dtype() == Dtype::uint32;
  if (w_quantized) {
    if (!scales) fail(op, "Scales must be provided if second argument is quantized.");
    check_quantized_input(op, w, *scales, std::nullopt, group_size, bits);
    if (scales->dtype() != Dtype::uint8) {
      fail(op, std::string("Scale type must be uint8 but received type ") + dtype_name(scales->dtype()) + ".");
    }
  } else {
    check_operand_type(w, "second");
  }
  check_operand_type(x, "first");
  check_global_scale(op, qmode, global_scale_x);
  check_global_scale(op, qmode, global_scale_w);
  if (qmode == QuantizationMode::Nvfp4 && global_scale_x.has_value() != global_scale_w.has_value()) {
    fail(op, "For nvfp4 mode, either both global_scale_x and global_scale_w must be provided, or neither.");
  }
  const int n = qqmm_outer(x, w, scales, group_size, bits);
  // x (and an unquantized w) are quantized in groups along K (MLX checks this when it quantizes).
  if (x.shape(-1) % group_size != 0) {
    fail(op, "The last dimension of the matrix needs to be divisible by the quantization group size " +
                 std::to_string(group_size) + ". However the provided  matrix has shape " + shape_string(x.shape()));
  }

  std::vector<array> inputs{x, w};
  if (w_quantized) inputs.push_back(*scales);
  const bool global = global_scale_x && global_scale_w;
  if (global) {
    inputs.push_back(*global_scale_x);
    inputs.push_back(*global_scale_w);
  }
  array out({x.shape(0), n}, x.dtype(),
            std::make_shared<QQMatmul>(group_size, bits, qmode, w_quantized, global), std::move(inputs));
  if (in_x.ndim() > 2) {
    Shape s(in_x.shape().begin(), in_x.shape().end() - 1);
    s.push_back(n);
    return reshape(out, s);
  }
  if (in_x.ndim() == 1) return reshape(out, {n});
  return out;
}

}  // namespace mlx

#include "ops/quantized.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "ops/copy.h"
#include "ops/creation.h"
#include "ops/gather_qmm.h"
#include "ops/shape.h"
#include "primitives/gather_qmm.h"
#include "primitives/quantized.h"
#include "primitives/quantized_fp.h"

namespace mlx {

namespace quant_detail {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// MLX's defaults per mode: affine 64/4, nvfp4 16/4, mxfp4 32/4, mxfp8 32/8.
std::pair<int, int> params_of(QuantizationMode mode, std::optional<int> group_size, std::optional<int> bits) {
  int gs = 64, b = 4;
  if (mode == QuantizationMode::Nvfp4) gs = 16;
  if (mode == QuantizationMode::Mxfp4) gs = 32;
  if (mode == QuantizationMode::Mxfp8) gs = 32, b = 8;
  return {group_size.value_or(gs), bits.value_or(b)};
}

// The one group size and bit width each floating-point mode has (MLX's fp_quantize checks).
void check_fp_params(const char* op, QuantizationMode mode, int group_size, int bits) {
  int gs = mode == QuantizationMode::Nvfp4 ? 16 : 32;
  int b = mode == QuantizationMode::Mxfp8 ? 8 : 4;
  const std::string name = quantization_mode_name(mode);
  if (group_size != gs) {
    fail(op, name + " quantization requires group size " + std::to_string(gs) + " but got " +
                 std::to_string(group_size) + ".");
  }
  if (bits != b) {
    fail(op, name + " quantization requires bits to be " + std::to_string(b) + " but got " + std::to_string(bits) + ".");
  }
}

void check_global_scale(const char* op, QuantizationMode mode, const std::optional<array>& g) {
  if (!g) return;
  if (mode != QuantizationMode::Nvfp4) fail(op, "Global scale is only supported for 'nvfp4' quantization mode.");
  if (g->size() != 1) fail(op, "Global scale must be a scalar but got shape " + shape_string(g->shape()) + ".");
  if (g->dtype() != Dtype::float32) {
    fail(op, std::string("Global scale must have dtype float32 but got ") + dtype_name(g->dtype()) + ".");
  }
}

}  // namespace quant_detail

using namespace quant_detail;

namespace {

// The floating-point modes: no biases (MLX's message) and uint8 scale codes (mlxjs's
// check: MLX reads any scales' bytes as codes).
void check_fp_operands(const char* op, QuantizationMode mode, const array& scales, const std::optional<array>& biases) {
  if (biases) {
    fail(op, std::string("Biases must be null for quantization mode '") + quantization_mode_name(mode) + "'.");
  }
  if (scales.dtype() != Dtype::uint8) {
    fail(op, std::string("Scales must be uint8 codes for quantization mode '") + quantization_mode_name(mode) +
                 "' but got " + dtype_name(scales.dtype()) + ".");
  }
}

// The affine group sizes and bit widths MLX supports (its quantize's checks, shared by the
// other ops so that a bad pair never reaches a kernel).
void check_affine_params(const char* op, int group_size, int bits) {
  if (group_size != 32 && group_size != 64 && group_size != 128) {
    fail(op, "The requested group size " + std::to_string(group_size) +
                 " is not supported. The supported group sizes are 32, 64, and 128.");
  }
  if (bits < 2 || bits > 8 || bits == 7) {
    fail(op, "The requested number of bits " + std::to_string(bits) +
                 " is not supported. The supported bits are 2, 3, 4, 5, 6 and 8.");
  }
}

// MLX's validate_mode_with_type: biases present for affine, floating scales/biases; the
// result dtype (`dtype` if given, else that of scales and biases).
Dtype affine_type(const char* op, const array& scales, const std::optional<array>& biases,
                  std::optional<Dtype> out_type) {
  if (out_type && !is_floating(*out_type)) {
    fail(op, std::string("Only real floating types are supported but output dtype == ") + dtype_name(*out_type) + ".");
  }
  if (!biases) fail(op, "Biases must be provided for affine quantization.");
  Dtype t = promote_types(scales.dtype(), biases->dtype());
  if (!is_floating(t)) {
    fail(op, std::string("Only real floating types are supported but scales.dtype() == ") +
                 dtype_name(scales.dtype()) + " and biases.dtype() == " + dtype_name(biases->dtype()) + ".");
  }
  return out_type.value_or(t);
}

}  // namespace

namespace quant_detail {

// MLX's validate_quantized_input.
void check_quantized_input(const char* op, const array& w, const array& scales, const std::optional<array>& biases,
                           int group_size, int bits) {
  if (w.dtype() != Dtype::uint32) {
    fail(op, std::string("The weight matrix should be uint32 but received ") + dtype_name(w.dtype()));
  }
  if (biases && scales.shape() != biases->shape()) {
    fail(op, "Scales and biases should have the same shape. Received scales with shape " +
                 shape_string(scales.shape()) + " and biases with " + shape_string(biases->shape()));
  }
  if (w.ndim() < 2 || scales.ndim() != w.ndim() ||
      !std::equal(w.shape().begin(), w.shape().end() - 2, scales.shape().begin())) {
    fail(op, "Weight and scales should have the same batch shape. Received weight with shape " +
                 shape_string(w.shape()) + ", scales with " + shape_string(scales.shape()) + ".");
  }
  if (int64_t(w.shape(-1)) * 32 / bits != int64_t(scales.shape(-1)) * group_size || w.shape(-2) != scales.shape(-2)) {
    fail(op, "The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == " +
                 shape_string(w.shape()) + " and scales.shape() == " + shape_string(scales.shape()) +
                 " with group_size=" + std::to_string(group_size) + " and bits=" + std::to_string(bits));
  }
}

// MLX's extract_quantized_matmul_dims: (inner, outer) of the matrix w holds, checked against x.
std::pair<int, int> matmul_dims(const char* op, const array& x, const array& w, bool transpose, int group_size,
                                int bits) {
  int w_inner = transpose ? int(int64_t(w.shape(-1)) * 32 / bits) : w.shape(-2);
  int w_outer = transpose ? w.shape(-2) : int(int64_t(w.shape(-1)) * 32 / bits);
  if (x.ndim() < 1 || x.shape(-1) != w_inner) {
    std::ostringstream msg;
    msg << "Last dimension of first input with shape (..., " << (x.ndim() ? x.shape(-1) : 0)
        << ") does not match the expanded quantized matrix (" << w_inner << ", " << w_outer
        << ") computed from shape " << shape_string(w.shape()) << " with group_size=" << group_size
        << ", bits=" << bits << " and transpose=" << (transpose ? "true" : "false");
    fail(op, msg.str());
  }
  return {w_inner, w_outer};
}

}  // namespace quant_detail

namespace {

// Checks shared by quantized_matmul and gather_qmm: the mode's operands and parameters, the
// weights against the scales and x. Returns the result dtype and (group_size, bits).
struct MatmulSetup {
  QuantizationMode mode;
  Dtype type;
  int group_size, bits, w_outer;
};
MatmulSetup matmul_setup(const char* op, const array& x, const array& w, const array& scales,
                         const std::optional<array>& biases, bool transpose, std::optional<int> group_size_,
                         std::optional<int> bits_, const std::string& mode) {
  MatmulSetup m;
  m.mode = quantization_mode(mode, op);
  bool affine = m.mode == QuantizationMode::Affine;
  Dtype t = affine ? affine_type(op, scales, biases, std::nullopt) : Dtype::bfloat16;
  if (!affine) check_fp_operands(op, m.mode, scales, biases);
  std::tie(m.group_size, m.bits) = params_of(m.mode, group_size_, bits_);
  if (affine) check_affine_params(op, m.group_size, m.bits);
  else check_fp_params(op, m.mode, m.group_size, m.bits);
  check_quantized_input(op, w, scales, biases, m.group_size, m.bits);
  m.w_outer = matmul_dims(op, x, w, transpose, m.group_size, m.bits).second;
  m.type = affine ? promote_types(x.dtype(), t) : x.dtype();
  if (!is_floating(m.type)) {
    fail(op, std::string("Only real floating types are supported but x.dtype() == ") + dtype_name(x.dtype()) + ".");
  }
  return m;
}

}  // namespace

QuantizationMode quantization_mode(const std::string& mode, const char* op) {
  if (mode == "affine") return QuantizationMode::Affine;
  if (mode == "mxfp4") return QuantizationMode::Mxfp4;
  if (mode == "mxfp8") return QuantizationMode::Mxfp8;
  if (mode == "nvfp4") return QuantizationMode::Nvfp4;
  fail(op, "Invalid quantization mode '" + mode + "'.");
}

const char* quantization_mode_name(QuantizationMode mode) {
  switch (mode) {
    case QuantizationMode::Affine: return "affine";
    case QuantizationMode::Mxfp4: return "mxfp4";
    case QuantizationMode::Mxfp8: return "mxfp8";
    case QuantizationMode::Nvfp4: return "nvfp4";
  }
  return "affine";
}

std::vector<array> quantize(const array& w, std::optional<int> group_size_, std::optional<int> bits_,
                            const std::string& mode, const std::optional<array>& global_scale) {
  const char* op = "quantize";
  auto qmode = quantization_mode(mode, op);
  auto [group_size, bits] = params_of(qmode, group_size_, bits_);
  if (!is_floating(w.dtype())) {
    fail(op, std::string("Only real floating types can be quantized but w has type ") + dtype_name(w.dtype()) + ".");
  }
  if (w.ndim() < 2) {
    fail(op, "The matrix to be quantized must have at least 2 dimension but it has only " +
                 std::to_string(w.ndim()) + ".");
  }
  if (group_size <= 0 || w.shape(-1) % group_size != 0) {
    fail(op, "The last dimension of the matrix needs to be divisible by the quantization group size " +
                 std::to_string(group_size) + ". However the provided  matrix has shape " + shape_string(w.shape()));
  }
  check_global_scale(op, qmode, global_scale);
  Shape wq_shape = w.shape(), s_shape = w.shape();
  s_shape.back() = w.shape(-1) / group_size;
  if (qmode != QuantizationMode::Affine) {
    check_fp_params(op, qmode, group_size, bits);
    wq_shape.back() = int32_t(int64_t(w.shape(-1)) * bits / 32);
    std::vector<array> in{w};
    if (global_scale) in.push_back(*global_scale);
    return array::make_arrays({wq_shape, s_shape}, {Dtype::uint32, Dtype::uint8},
                              std::make_shared<FpQuantize>(group_size, bits), std::move(in));
  }
  check_affine_params(op, group_size, bits);
  wq_shape.back() = int32_t(int64_t(w.shape(-1)) * bits / 32);
  return array::make_arrays({wq_shape, s_shape, s_shape}, {Dtype::uint32, w.dtype(), w.dtype()},
                            std::make_shared<Quantize>(group_size, bits), {w});
}

namespace {

// MLX's fp_dequantize: the mode's group size and bits, scales shaped as the codes.
array fp_dequantize(const array& wq, const array& scales, int group_size, int bits, Dtype out_type,
                    QuantizationMode mode, const std::optional<array>& global_scale) {
  const char* op = "dequantize";
  check_fp_params(op, mode, group_size, bits);
  Shape ws = wq.shape(), ss = scales.shape();
  if (ws.size() != ss.size()) fail(op, "Shape of scales does not match the matrix");
  ws.back() = ss.back() = -1;
  if (ws != ss) fail(op, "Shape of scales does not match the matrix");
  int64_t out_size = int64_t(wq.shape(-1)) * 32 / bits;
  if (out_size != int64_t(scales.shape(-1)) * group_size) {
    fail(op, "Shape of scales does not match the matrix given the quantization parameters. Provided matrix of shape " +
                 shape_string(wq.shape()) + " and scales of shape " + shape_string(scales.shape()) + ".");
  }
  Shape out_shape = wq.shape();
  out_shape.back() = int32_t(out_size);
  std::vector<array> in{wq, scales};
  if (global_scale) in.push_back(*global_scale);
  return array(out_shape, out_type, std::make_shared<FpDequantize>(group_size, bits, out_type), std::move(in));
}

}  // namespace

array dequantize(const array& wq, const array& scales, const std::optional<array>& biases,
                 std::optional<int> group_size_, std::optional<int> bits_, const std::string& mode,
                 std::optional<Dtype> dtype, const std::optional<array>& global_scale) {
  const char* op = "dequantize";
  auto qmode = quantization_mode(mode, op);
  bool affine = qmode == QuantizationMode::Affine;
  Dtype out_type;
  if (affine) {
    out_type = affine_type(op, scales, biases, dtype);
  } else {
    if (dtype && !is_floating(*dtype)) {
      fail(op, std::string("Only real floating types are supported but output dtype == ") + dtype_name(*dtype) + ".");
    }
    check_fp_operands(op, qmode, scales, biases);
    out_type = dtype.value_or(Dtype::bfloat16);  // MLX's default for the floating-point modes
  }
  auto [group_size, bits] = params_of(qmode, group_size_, bits_);
  if (bits <= 0) fail(op, "Invalid value for bits: " + std::to_string(bits));
  if (group_size <= 0) fail(op, "Invalid value for group_size: " + std::to_string(group_size));
  if (wq.dtype() != Dtype::uint32) fail(op, "The matrix should be given as a uint32");
  if (wq.ndim() < 2) {
    fail(op, "The matrix to be dequantized must have at least 2 dimension but it has only " +
                 std::to_string(wq.ndim()) + ".");
  }
  check_global_scale(op, qmode, global_scale);
  if (!affine) return fp_dequantize(wq, scales, group_size, bits, out_type, qmode, global_scale);
  Shape ws = wq.shape(), ss = scales.shape(), bs = biases->shape();
  if (ws.size() != ss.size() || ws.size() != bs.size()) {
    fail(op, "Shape of scales and biases does not match the matrix");
  }
  ws.back() = ss.back() = bs.back() = -1;
  if (ws != ss || ws != bs) fail(op, "Shape of scales and biases does not match the matrix");
  int64_t out_size = int64_t(wq.shape(-1)) * 32 / bits;
  if (out_size != int64_t(scales.shape(-1)) * group_size) {
    fail(op, "Shape of scales and biases does not match the matrix given the quantization parameters. Provided "
             "matrix of shape " + shape_string(wq.shape()) + " and scales/biases of shape " +
                 shape_string(scales.shape()) + " with group_size=" + std::to_string(group_size) +
                 " and bits=" + std::to_string(bits) + ".");
  }
  // As MLX, any positive pair: the codes are read as one bit stream per row (up to 32 bits wide).
  if (bits > 32) fail(op, "Invalid value for bits: " + std::to_string(bits));
  Dtype t = promote_types(scales.dtype(), biases->dtype());
  Shape out_shape = wq.shape();
  out_shape.back() = int32_t(out_size);
  array out(out_shape, t, std::make_shared<Dequantize>(group_size, bits), {wq, astype(scales, t), astype(*biases, t)});
  return astype(out, out_type);
}

array quantized_matmul(const array& x, const array& w, const array& scales, const std::optional<array>& biases,
                       bool transpose, std::optional<int> group_size_, std::optional<int> bits_,
                       const std::string& mode) {
  const char* op = "quantized_matmul";
  MatmulSetup m = matmul_setup(op, x, w, scales, biases, transpose, group_size_, bits_, mode);
  bool affine = m.mode == QuantizationMode::Affine;
  std::vector<array> in{astype(x, m.type), w};
  if (affine) {
    in.push_back(astype(scales, m.type));
    in.push_back(astype(*biases, m.type));
  } else {
    in.push_back(scales);
  }
  if (w.ndim() > 2) {
    // A batch of weights: x and the weights broadcast over their leading axes (x at least a matrix).
    if (in[0].ndim() == 1) in[0] = reshape(in[0], {1, in[0].shape(0)});
    Shape xb(in[0].shape().begin(), in[0].shape().end() - 2), wb(w.shape().begin(), w.shape().end() - 2);
    Shape b = broadcast_shapes(xb, wb, op);
    for (auto& a : in) {
      Shape s = b;
      s.push_back(a.shape(-2));
      s.push_back(a.shape(-1));
      a = broadcast_to(a, s);
    }
  }
  Shape out_shape = in[0].shape();
  out_shape.back() = m.w_outer;
  std::shared_ptr<Primitive> p;
  if (affine) p = std::make_shared<QuantizedMatmul>(m.group_size, m.bits, transpose);
  else p = std::make_shared<FpQuantizedMatmul>(m.group_size, m.bits, transpose);
  return array(out_shape, m.type, std::move(p), std::move(in));
}

namespace {

// MLX's indices_or_default: arange over a's batch axes (a.shape[:-2]) when not given.
array indices_or_default(const std::optional<array>& indices, const array& a) {
  if (indices) return *indices;
  Shape batch(a.shape().begin(), a.shape().end() - 2);
  int64_t total = 1;
  for (auto d : batch) total *= d;
  return reshape(arange(0, double(total), 1, Dtype::uint32), batch);
}

}  // namespace

array gather_qmm(const array& x, const array& w, const array& scales, const std::optional<array>& biases,
                 const std::optional<array>& lhs_indices_, const std::optional<array>& rhs_indices_, bool transpose,
                 std::optional<int> group_size_, std::optional<int> bits_, const std::string& mode,
                 bool sorted_indices) {
  if (!lhs_indices_ && !rhs_indices_) {
    return quantized_matmul(x, w, scales, biases, transpose, group_size_, bits_, mode);
  }
  const char* op = "gather_qmm";
  MatmulSetup m = matmul_setup(op, x, w, scales, biases, transpose, group_size_, bits_, mode);
  // The default indices run over the batch axes, which a vector x does not have: it is
  // refused below (MLX's order), after the indices' checks.
  array lhs = x.ndim() >= 2 ? indices_or_default(lhs_indices_, x) : lhs_indices_.value_or(zeros({}, Dtype::uint32));
  array rhs = indices_or_default(rhs_indices_, w);
  if (!is_integral(lhs.dtype())) fail(op, "Got lhs_indices with invalid dtype. Indices must be integral.");
  if (!is_integral(rhs.dtype())) fail(op, "Got rhs_indices with invalid dtype. Indices must be integral.");
  if (x.ndim() < 2) {
    fail(op, "Non-quantized input must have at least two dimensions but got input with shape " +
                 shape_string(x.shape()) + ".");
  }
  auto both = broadcast_arrays({lhs, rhs});
  lhs = astype(both[0], Dtype::uint32);
  rhs = astype(both[1], Dtype::uint32);
  Shape out_shape = lhs.shape();
  out_shape.push_back(x.shape(-2));
  out_shape.push_back(m.w_outer);
  bool affine = m.mode == QuantizationMode::Affine;
  std::vector<array> in{astype(x, m.type), w};
  if (affine) {
    in.push_back(astype(scales, m.type));
    in.push_back(astype(*biases, m.type));
  } else {
    in.push_back(scales);
  }
  in.push_back(lhs);
  in.push_back(rhs);
  (void)sorted_indices;  // a scheduling hint in MLX; the result does not depend on it
  return array(out_shape, m.type,
               std::make_shared<GatherQMM>(m.group_size, m.bits, m.mode, transpose), std::move(in));
}

}  // namespace mlx

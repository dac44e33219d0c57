// The linalg family's primitives: Inverse, Cholesky (lower factor), the decompositions QRF
// (outputs q, r) and SVD (outputs u, s, vt, or only s), and Matmul. All act on the
// trailing matrices, so vmap moves the batch axis to the front.
#pragma once

#include "primitive.h"

namespace mlx {

class Inverse : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Inverse, "Inverse")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Inverse*>(&other) != nullptr; }
};

class Cholesky : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Cholesky, "Cholesky")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Cholesky*>(&other) != nullptr; }
};

class Matmul : public UnaryPrimitive {
 public:
  MLX_PRIMITIVE_NAME(Matmul, "Matmul")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const Matmul*>(&other) != nullptr; }
  std::vector<Shape> output_shapes(const std::vector<array>& inputs) override;
};

class QRF : public Primitive {
 public:
  MLX_PRIMITIVE_NAME(QRF, "QRF")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  // MLX has no QR gradient: both rules raise "[linalg::qr] ... not implemented".
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const QRF*>(&other) != nullptr; }
};

class SVD : public Primitive {
 public:
  explicit SVD(bool compute_uv) : compute_uv_(compute_uv) {}
  MLX_PRIMITIVE_NAME(SVD, "SVD")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  // Gradients of the singular values (compute_uv = false); with u and vt they raise.
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const SVD*>(&other);
    return o && o->compute_uv_ == compute_uv_;
  }

 private:
  bool compute_uv_;
};

}  // namespace mlx

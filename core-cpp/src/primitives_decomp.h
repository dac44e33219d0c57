// The matrix decompositions' primitives: QRF (outputs q, r) and SVD (outputs u, s, vt, or
// only s). Both act on the trailing matrices, so vmap moves the batch axis to the front.
#pragma once

#include "primitive.h"

namespace mlx {

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

// The linalg family's primitives: Inverse (general, or of a triangle: tri_inv), Cholesky
// (lower factor), the decompositions QRF (outputs q, r), SVD (outputs u, s, vt, or only s),
// LUF (lu, pivots, row_indices) and Eigh (eigenvalues, eigenvectors, or only eigenvalues),
// and Matmul. All act on the trailing matrices, so vmap moves the batch axis to the front.
#pragma once

#include "primitive.h"

namespace mlx {

class Inverse : public UnaryPrimitive {
 public:
  // tri: the input is triangular (lower, or upper with `upper`) and only that triangle is read.
  explicit Inverse(bool tri = false, bool upper = false) : tri_(tri), upper_(upper) {}
  MLX_PRIMITIVE_NAME(Inverse, "Inverse")
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP
  MLX_SAME_SHAPE
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Inverse*>(&other);
    return o && o->tri_ == tri_ && o->upper_ == upper_;
  }

 private:
  bool tri_, upper_;
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

class LUF : public Primitive {
 public:
  MLX_PRIMITIVE_NAME(LUF, "LUF")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  // MLX has no LU gradient: both rules raise "[linalg::lu_factor] ... not implemented".
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override { return dynamic_cast<const LUF*>(&other) != nullptr; }
};

class Eigh : public Primitive {
 public:
  Eigh(bool upper, bool compute_eigenvectors) : upper_(upper), compute_eigenvectors_(compute_eigenvectors) {}
  MLX_PRIMITIVE_NAME(Eigh, "Eigh")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Eigh*>(&other);
    return o && o->upper_ == upper_ && o->compute_eigenvectors_ == compute_eigenvectors_;
  }

 private:
  bool upper_, compute_eigenvectors_;
};

// The general eigendecomposition: outputs w (and v with compute_eigenvectors), complex64.
class Eig : public Primitive {
 public:
  explicit Eig(bool compute_eigenvectors) : compute_eigenvectors_(compute_eigenvectors) {}
  MLX_PRIMITIVE_NAME(Eig, "Eig")
  void eval_cpu(const std::vector<array>& inputs, std::vector<array>& outputs) override;
  // MLX has no gradient of eig: both rules raise "[linalg::eig] ... not implemented".
  MLX_GRADS
  MLX_VMAP
  bool is_equivalent(const Primitive& other) const override {
    auto* o = dynamic_cast<const Eig*>(&other);
    return o && o->compute_eigenvectors_ == compute_eigenvectors_;
  }

 private:
  bool compute_eigenvectors_;
};

}  // namespace mlx

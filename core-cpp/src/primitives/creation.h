// Primitives of the creation extras: linspace values, the eye/tri patterns, and the
// triangle mask behind tril/triu (differentiable: its vjp and jvp mask the same way).
// Linspace and TriPattern have no inputs, so vmap never rewrites them (nothing of theirs
// can be mapped) and they need no vmap rule.
#pragma once

#include "primitive.h"

namespace mlx {

class Linspace : public UnaryPrimitive {
 public:
  Linspace(double start, double stop) : start_(start), stop_(stop) {}
  MLX_PRIMITIVE_NAME(Linspace, "Linspace")
  void eval(const std::vector<array>& inputs, array& out) override;

 private:
  double start_, stop_;
};

// A 2-D 0/1 pattern: Eye puts ones where j - i == k, Tri where j - i <= k.
class TriPattern : public UnaryPrimitive {
 public:
  TriPattern(bool eye, int k) : eye_(eye), k_(k) {}
  MLX_PRIMITIVE_NAME(TriPattern, "TriPattern")
  void eval(const std::vector<array>& inputs, array& out) override;

 private:
  bool eye_;
  int k_;
};

// Keeps the elements of the last two axes on and below (lower) or on and above (upper)
// diagonal k, zeroing the rest (NaNs included, unlike a multiply by a mask).
class TriMask : public UnaryPrimitive {
 public:
  TriMask(bool upper, int k) : upper_(upper), k_(k) {}
  const char* name() const override { return upper_ ? "Triu" : "Tril"; }
  void eval(const std::vector<array>& inputs, array& out) override;
  MLX_GRADS
  MLX_VMAP

 private:
  bool upper_;
  int k_;
};

// start + i * step for i in [0, size).
class Arange : public UnaryPrimitive {
 public:
  Arange(double start, double step) : start_(start), step_(step) {}
  MLX_PRIMITIVE_NAME(Arange, "Arange")
  void eval(const std::vector<array>& inputs, array& out) override;

 private:
  double start_, step_;
};

}  // namespace mlx

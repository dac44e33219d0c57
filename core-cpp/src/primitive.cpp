#include "primitive.h"

#include <stdexcept>

namespace mlx {

std::vector<array> Primitive::vjp(const std::vector<array>&, const std::vector<array>&,
                                  const std::vector<int>&, const std::vector<array>&) {
  throw std::invalid_argument(std::string("[") + name() + "] The vjp is not implemented.");
}

std::vector<array> Primitive::jvp(const std::vector<array>&, const std::vector<array>&,
                                  const std::vector<int>&) {
  throw std::invalid_argument(std::string("[") + name() + "] The jvp is not implemented.");
}

std::pair<std::vector<array>, std::vector<int>> Primitive::vmap(const std::vector<array>&,
                                                                const std::vector<int>&) {
  return {};  // no rule: vmap_trace applies the primitive per batch element instead
}

std::vector<Shape> Primitive::output_shapes(const std::vector<array>&) {
  throw std::invalid_argument(std::string("[compile] ") + name() +
                              " cannot infer its output shape from new input shapes, so a function using it "
                              "cannot be compiled with shapeless=true.");
}

}  // namespace mlx

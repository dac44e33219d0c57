#include "ops/fp8.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "primitives/fp8.h"

namespace mlx {

array to_fp8(const array& x) {
  if (!is_floating(x.dtype())) {
    throw std::invalid_argument(std::string("[to_fp8] Only real floating types are supported but x.dtype() == ") +
                                dtype_name(x.dtype()) + ".");
  }
  return array(x.shape(), Dtype::uint8, std::make_shared<ConvertFP8>(true, Dtype::uint8), {x});
}

array from_fp8(const array& x, Dtype dtype) {
  if (x.dtype() != Dtype::uint8) {
    throw std::invalid_argument(std::string("[from_fp8] Input must have type uint8 but x.dtype() == ") +
                                dtype_name(x.dtype()) + ".");
  }
  if (!is_floating(dtype)) {
    throw std::invalid_argument(std::string("[from_fp8] Only real floating types are supported but dtype == ") +
                                dtype_name(dtype) + ".");
  }
  return array(x.shape(), dtype, std::make_shared<ConvertFP8>(false, dtype), {x});
}

}  // namespace mlx

#include "primitives/fp8.h"

#include "backend/cpu/fp8.h"
#include "ops/fp8.h"

namespace mlx {

void ConvertFP8::eval(const std::vector<array>& in, array& out) {
  if (to_fp8_) to_fp8_eval(in[0], out);
  else from_fp8_eval(in[0], out);
}

std::pair<std::vector<array>, std::vector<int>> ConvertFP8::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  return {{to_fp8_ ? to_fp8(in[0]) : from_fp8(in[0], out_dtype_)}, {axes[0]}};
}

}  // namespace mlx

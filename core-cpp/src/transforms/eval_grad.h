// Graph evaluation and the function transforms built on the primitives' rules.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "array.h"

namespace mlx {

// Computes every array in `outputs` and everything they depend on. Evaluated nodes are
// detached (their primitive and inputs dropped) unless they are tracers, so the graph is
// released as it is computed. Iterative: graph depth is limited by memory, not the stack.
void eval(std::vector<array> outputs);
inline void eval(const array& a) { eval(std::vector<array>{a}); }

// An evaluation done a few nodes at a time (async_eval yields to the host between steps).
class EvalSession {
 public:
  explicit EvalSession(std::vector<array> outputs);
  // Evaluates up to `budget` more nodes; true when everything is computed.
  bool step(size_t budget);

 private:
  std::vector<array> outputs_;
  std::vector<array> tape_;
  size_t next_ = 0;
};

using Function = std::function<std::vector<array>(const std::vector<array>&)>;

// Reverse mode: (fun(primals), the cotangents of the primals). One cotangent per output
// that is not a stop_gradient; they are cast to the outputs' dtypes.
std::pair<std::vector<array>, std::vector<array>> vjp(const Function& fun, const std::vector<array>& primals,
                                                      const std::vector<array>& cotangents);

// Forward mode: (fun(primals), the tangents of the outputs). One tangent per primal.
std::pair<std::vector<array>, std::vector<array>> jvp(const Function& fun, const std::vector<array>& primals,
                                                      const std::vector<array>& tangents);

// (fun(primals), d fun(primals)[0] / d primals): fun's first output must be a scalar; its
// other outputs are auxiliary values returned as they are (no gradient flows from them).
std::pair<std::vector<array>, std::vector<array>> value_and_grad(const Function& fun,
                                                                 const std::vector<array>& primals);

}  // namespace mlx

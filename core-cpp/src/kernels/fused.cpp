#include "fused.h"

#include <cmath>

#include "../allocator.h"
#include "copy.h"
#include "dispatch.h"

namespace mlx {

namespace {

constexpr int64_t block = 512;

template <typename C>
void run_instr(const FusedInstr& in, C* regs, int64_t n) {
  const C* a = regs + in.a * block;
  const C* b = regs + in.b * block;
  C* d = regs + in.dst * block;
  switch (in.op) {
    case FNeg: for (int64_t i = 0; i < n; ++i) d[i] = -a[i]; break;
    case FExp: for (int64_t i = 0; i < n; ++i) d[i] = std::exp(a[i]); break;
    case FLog: for (int64_t i = 0; i < n; ++i) d[i] = std::log(a[i]); break;
    case FTanh: for (int64_t i = 0; i < n; ++i) d[i] = std::tanh(a[i]); break;
    case FAdd: for (int64_t i = 0; i < n; ++i) d[i] = a[i] + b[i]; break;
    case FSub: for (int64_t i = 0; i < n; ++i) d[i] = a[i] - b[i]; break;
    case FMul: for (int64_t i = 0; i < n; ++i) d[i] = a[i] * b[i]; break;
    case FDiv: for (int64_t i = 0; i < n; ++i) d[i] = a[i] / b[i]; break;
  }
}

template <typename T>
void fused_kernel(const FusedProgram& p, const std::vector<array>& inputs, std::vector<array>& outputs) {
  using C = compute_t<T>;
  const int64_t size = static_cast<int64_t>(outputs[0].size());
  // Each input is read densely: a single value (broadcast scalar) or a row-contiguous
  // buffer; anything else is laid out in row order first.
  std::vector<array> dense;
  std::vector<const T*> src(inputs.size());
  std::vector<bool> scalar(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const array& x = inputs[i];
    scalar[i] = x.data_size() == 1;
    if (scalar[i] || x.flags().row_contiguous) {
      src[i] = x.data<T>();
    } else {
      dense.push_back(x.converted(x.dtype()));
      src[i] = dense.back().data<T>();
    }
  }
  std::vector<T*> dst;
  for (auto& o : outputs) {
    o.set_data(allocator::malloc(o.nbytes()));
    dst.push_back(o.data<T>());
  }
  std::vector<C> regs(static_cast<size_t>(p.n_registers) * block);
  for (int64_t start = 0; start < size; start += block) {
    int64_t n = std::min(block, size - start);
    for (int i = 0; i < p.n_inputs; ++i) {
      C* r = regs.data() + i * block;
      if (scalar[i]) {
        C v = C(src[i][0]);
        for (int64_t k = 0; k < n; ++k) r[k] = v;
      } else {
        const T* s = src[i] + start;
        for (int64_t k = 0; k < n; ++k) r[k] = C(s[k]);
      }
    }
    for (auto& instr : p.code) run_instr(instr, regs.data(), n);
    for (size_t o = 0; o < p.outputs.size(); ++o) {
      const C* r = regs.data() + p.outputs[o] * block;
      T* d = dst[o] + start;
      for (int64_t k = 0; k < n; ++k) d[k] = T(r[k]);
    }
  }
}

}  // namespace

void fused_eval(const FusedProgram& program, const std::vector<array>& inputs, std::vector<array>& outputs) {
  dispatch_floating(outputs[0].dtype(), "compile", [&](auto t) {
    fused_kernel<typename decltype(t)::type>(program, inputs, outputs);
  });
}

}  // namespace mlx

#include "fused.h"

#include <cmath>

#include "allocator.h"
#include "copy.h"
#include "dispatch.h"
#include "elementwise_ops.h"

namespace mlx {

namespace {

constexpr int64_t block = 512;

// One loop per arity; the operation is a functor (the eager kernels' own functors, so a
// fused op computes exactly what its unfused primitive does, in compute precision).
template <typename C, typename F>
void map_unary(F f, const C* a, C* d, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] = f(a[i]);
}
template <typename C, typename F>
void map_binary(F f, const C* a, const C* b, C* d, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] = f(a[i], b[i]);
}

template <typename C>
void run_instr(const FusedInstr& in, C* regs, int64_t n) {
  const C* a = regs + in.a * block;
  const C* b = regs + in.b * block;
  C* d = regs + in.dst * block;
  auto u = [&](auto f) { map_unary(f, a, d, n); };
  auto bi = [&](auto f) { map_binary(f, a, b, d, n); };
  // Every fusing op of the table: the functor of its primitive. (if constexpr: the
  // others' functors need not accept floats.)
  switch (in.op) {
#define MLX_FUSED_UNARY(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  case F##NAME:                                                   \
    if constexpr (FUSES) u(ew::NAME{});                           \
    return;
#define MLX_FUSED_BINARY(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  case F##NAME:                                                    \
    if constexpr (FUSES) bi(ew::NAME{});                           \
    return;
    MLX_ELEMENTWISE_UNARY(MLX_FUSED_UNARY)
    MLX_ELEMENTWISE_BINARY(MLX_FUSED_BINARY)
#undef MLX_FUSED_UNARY
#undef MLX_FUSED_BINARY
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

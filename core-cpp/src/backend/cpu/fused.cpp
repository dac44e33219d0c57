#include "fused.h"

#include <cmath>

#include "allocator.h"
#include "binary.h"
#include "copy.h"
#include "dispatch.h"
#include "elementwise_ops.h"
#include "unary.h"

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
  switch (in.op) {
    case FNeg: return u(NegativeOp{});
    case FExp: return u(ExpOp{});
    case FLog: return u(LogOp{});
    case FTanh: return u(TanhOp{});
    case FAdd: return bi(AddOp{});
    case FSub: return bi(SubtractOp{});
    case FMul: return bi(MultiplyOp{});
    case FDiv: return bi(DivideOp{});
    case FAbs: return u(ew::Abs{});
    case FSign: return u(ew::Sign{});
    case FSquare: return u(ew::Square{});
    case FSqrt: return u(ew::Sqrt{});
    case FRsqrt: return u(ew::Rsqrt{});
    case FExpm1: return u(ew::Expm1{});
    case FLog2: return u(ew::Log2{});
    case FLog10: return u(ew::Log10{});
    case FLog1p: return u(ew::Log1p{});
    case FSin: return u(ew::Sin{});
    case FCos: return u(ew::Cos{});
    case FTan: return u(ew::Tan{});
    case FArcSin: return u(ew::ArcSin{});
    case FArcCos: return u(ew::ArcCos{});
    case FArcTan: return u(ew::ArcTan{});
    case FSinh: return u(ew::Sinh{});
    case FCosh: return u(ew::Cosh{});
    case FArcSinh: return u(ew::ArcSinh{});
    case FArcCosh: return u(ew::ArcCosh{});
    case FArcTanh: return u(ew::ArcTanh{});
    case FSigmoid: return u(ew::Sigmoid{});
    case FErf: return u(ew::Erf{});
    case FErfInv: return u(ew::ErfInv{});
    case FCeil: return u(ew::Ceil{});
    case FFloor: return u(ew::Floor{});
    case FRound: return u(ew::Round{});
    case FFloorDivide: return bi(ew::FloorDivide{});
    case FRemainder: return bi(ew::Remainder{});
    case FPower: return bi(ew::Power{});
    case FMaximum: return bi(ew::Maximum{});
    case FMinimum: return bi(ew::Minimum{});
    case FLogAddExp: return bi(ew::LogAddExp{});
    case FArcTan2: return bi(ew::ArcTan2{});
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

// The fused element-wise kernel of compile: a small program of element-wise operations
// interpreted over blocks of elements, so a chain of ops makes one pass over memory
// (wasm has no system compiler to generate code with, as MLX does on CPU).
#pragma once

#include <vector>

#include "array.h"

namespace mlx {

// The operations a fused kernel can run: pure float functions of one or two inputs. The
// element-wise family's codes keep the order of its UnaryOp (Abs .. Round) and BinaryOp
// (FloorDivide .. ArcTan2) enums, which map onto them by an offset.
enum FusedOp : int {
  FNeg = 0, FExp, FLog, FTanh, FAdd, FSub, FMul, FDiv,
  // unary, as UnaryOp::Abs .. UnaryOp::Round
  FAbs, FSign, FSquare, FSqrt, FRsqrt, FExpm1, FLog2, FLog10, FLog1p,
  FSin, FCos, FTan, FArcSin, FArcCos, FArcTan, FSinh, FCosh, FArcSinh, FArcCosh, FArcTanh,
  FSigmoid, FErf, FErfInv, FCeil, FFloor, FRound,
  // binary, as BinaryOp::FloorDivide .. BinaryOp::ArcTan2
  FFloorDivide, FRemainder, FPower, FMaximum, FMinimum, FLogAddExp, FArcTan2,
  FUSED_OP_COUNT
};

struct FusedInstr {
  int op;
  int a, b;  // source registers (b unused for unary ops)
  int dst;
};

// Registers 0..n_inputs-1 hold the inputs; each instruction writes a new register.
struct FusedProgram {
  int n_inputs = 0;
  int n_registers = 0;
  std::vector<FusedInstr> code;
  std::vector<int> outputs;  // registers written to the outputs
};

// inputs: arrays of the outputs' shape (any layout) and dtype; outputs: one per program
// output, all of one floating dtype.
void fused_eval(const FusedProgram& program, const std::vector<array>& inputs, std::vector<array>& outputs);

}  // namespace mlx

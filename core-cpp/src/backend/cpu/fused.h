// The fused element-wise kernel of compile: a small program of element-wise operations
// interpreted over blocks of elements, so a chain of ops makes one pass over memory
// (wasm has no system compiler to generate code with, as MLX does on CPU).
#pragma once

#include <vector>

#include "array.h"
#include "elementwise_table.h"

namespace mlx {

// The fused kernel's op codes: one per element-wise op of elementwise_table.h, unary ops
// first (F<Name>). Only the ops marked there as fusing are ever emitted.
enum FusedOp : int {
#define MLX_FUSED_CODE(NAME, ...) F##NAME,
  MLX_ELEMENTWISE_UNARY(MLX_FUSED_CODE) MLX_ELEMENTWISE_BINARY(MLX_FUSED_CODE)
#undef MLX_FUSED_CODE
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

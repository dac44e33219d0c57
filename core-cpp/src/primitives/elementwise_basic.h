// The primitives of the first slice's element-wise arithmetic: each computes its outputs
// (eval) and has vjp, jvp and vmap rules; compile can fuse them (FusedOp codes).
#pragma once

#include <string>
#include <vector>

#include "array.h"
#include "backend/cpu/fused.h"
#include "primitive.h"

namespace mlx {

// ---- element-wise -----------------------------------------------------------------
MLX_ELEMENTWISE_PRIMITIVE(Negative, "Negative", FNeg)
MLX_ELEMENTWISE_PRIMITIVE(Exp, "Exp", FExp)
MLX_ELEMENTWISE_PRIMITIVE(Log, "Log", FLog)
MLX_ELEMENTWISE_PRIMITIVE(Tanh, "Tanh", FTanh)
MLX_ELEMENTWISE_PRIMITIVE(Add, "Add", FAdd)
MLX_ELEMENTWISE_PRIMITIVE(Subtract, "Subtract", FSub)
MLX_ELEMENTWISE_PRIMITIVE(Multiply, "Multiply", FMul)
MLX_ELEMENTWISE_PRIMITIVE(Divide, "Divide", FDiv)

}  // namespace mlx

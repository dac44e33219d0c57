// The element-wise family, one line per op. Everything that used to be repeated per op is
// generated from these lists: the UnaryOp/BinaryOp enums and primitive names
// (primitives_elementwise.h/.cpp), the eval dispatch onto the ew:: functors
// (kernels/elementwise_ops.h), the fused kernel's op codes (kernels/fused.h/.cpp) and the
// Metal backend's kernel map (metal/metal_backend.mm). Only the ops (ops_elementwise.cpp:
// promotion, validation) and the derivatives (primitives_elementwise.cpp) are per-op code.
//
// Columns of X(Name, mlx_name, kinds, out, fuses, metal):
//   Name      the primitive's name and its functor ew::Name
//   mlx_name  MLX's op name: error messages ("[mlx_name] ...") and Metal kernel names
//   kinds     the input dtypes the kernel is built for (Kinds in kernels/kinds.h); the op
//             has already promoted or rejected the others
//   out       Same (the input dtype) or Bool
//   fuses     1: compile may fuse it into an element-wise chain (floating outputs only;
//             the functor must then accept float and double)
//   metal     1: the MSL kernels <mlx_name>_<dtype> exist (metal/kernels/unary.h, binary.h)
//             for some dtypes; the backend falls back to the CPU for the others
// The lines of each list are in one order: the enums and the fused op codes follow it.
#pragma once

// clang-format off
#define MLX_ELEMENTWISE_UNARY(X)                                 \
  X(Negative,      negative,       Numeric,  Same, 1, 1)         \
  X(Exp,           exp,            Floating, Same, 1, 1)         \
  X(Log,           log,            Floating, Same, 1, 1)         \
  X(Tanh,          tanh,           Floating, Same, 1, 1)         \
  X(Abs,           abs,            Numeric,  Same, 1, 1)         \
  X(Sign,          sign,           Numeric,  Same, 1, 0)         \
  X(Square,        square,         Numeric,  Same, 1, 1)         \
  X(Sqrt,          sqrt,           Floating, Same, 1, 1)         \
  X(Rsqrt,         rsqrt,          Floating, Same, 1, 1)         \
  X(Expm1,         expm1,          Floating, Same, 1, 0)         \
  X(Log2,          log2,           Floating, Same, 1, 0)         \
  X(Log10,         log10,          Floating, Same, 1, 0)         \
  X(Log1p,         log1p,          Floating, Same, 1, 0)         \
  X(Sin,           sin,            Floating, Same, 1, 1)         \
  X(Cos,           cos,            Floating, Same, 1, 1)         \
  X(Tan,           tan,            Floating, Same, 1, 0)         \
  X(ArcSin,        arcsin,         Floating, Same, 1, 0)         \
  X(ArcCos,        arccos,         Floating, Same, 1, 0)         \
  X(ArcTan,        arctan,         Floating, Same, 1, 0)         \
  X(Sinh,          sinh,           Floating, Same, 1, 0)         \
  X(Cosh,          cosh,           Floating, Same, 1, 0)         \
  X(ArcSinh,       arcsinh,        Floating, Same, 1, 0)         \
  X(ArcCosh,       arccosh,        Floating, Same, 1, 0)         \
  X(ArcTanh,       arctanh,        Floating, Same, 1, 0)         \
  X(Sigmoid,       sigmoid,        Floating, Same, 1, 1)         \
  X(Erf,           erf,            Floating, Same, 1, 0)         \
  X(ErfInv,        erfinv,         Floating, Same, 1, 0)         \
  X(Ceil,          ceil,           Floating, Same, 1, 1)         \
  X(Floor,         floor,          Floating, Same, 1, 1)         \
  X(Round,         round,          Floating, Same, 1, 0)         \
  X(IsNan,         isnan,          Floating, Bool, 0, 0)         \
  X(IsInf,         isinf,          Floating, Bool, 0, 0)         \
  X(IsFinite,      isfinite,       Floating, Bool, 0, 0)         \
  X(IsPosInf,      isposinf,       Floating, Bool, 0, 0)         \
  X(IsNegInf,      isneginf,       Floating, Bool, 0, 0)         \
  X(LogicalNot,    logical_not,    Bool,     Bool, 0, 0)         \
  X(BitwiseInvert, bitwise_invert, Integer,  Same, 0, 0)

#define MLX_ELEMENTWISE_BINARY(X)                                \
  X(Add,           add,            All,      Same, 1, 1)         \
  X(Subtract,      subtract,       All,      Same, 1, 1)         \
  X(Multiply,      multiply,       All,      Same, 1, 1)         \
  X(Divide,        divide,         Floating, Same, 1, 1)         \
  X(FloorDivide,   floor_divide,   Numeric,  Same, 1, 0)         \
  X(Remainder,     remainder,      Numeric,  Same, 1, 0)         \
  X(Power,         power,          Numeric,  Same, 1, 1)         \
  X(Maximum,       maximum,        All,      Same, 1, 1)         \
  X(Minimum,       minimum,        All,      Same, 1, 1)         \
  X(LogAddExp,     logaddexp,      Floating, Same, 1, 0)         \
  X(ArcTan2,       arctan2,        Floating, Same, 1, 0)         \
  X(LogicalAnd,    logical_and,    Bool,     Bool, 0, 0)         \
  X(LogicalOr,     logical_or,     Bool,     Bool, 0, 0)         \
  X(BitwiseAnd,    bitwise_and,    Integral, Same, 0, 0)         \
  X(BitwiseOr,     bitwise_or,     Integral, Same, 0, 0)         \
  X(BitwiseXor,    bitwise_xor,    Integral, Same, 0, 0)         \
  X(LeftShift,     left_shift,     Integer,  Same, 0, 0)         \
  X(RightShift,    right_shift,    Integer,  Same, 0, 0)
// clang-format on

// The element-wise family, one line per op. Everything that used to be repeated per op is
// generated from these lists: the UnaryOp/BinaryOp enums and primitive names
// (primitives/elementwise.h/.cpp), the eval dispatch onto the ew:: functors
// (backend/cpu/elementwise_ops.h), the fused kernel's op codes (backend/cpu/fused.h/.cpp),
// the Metal backend's kernel map (backend/metal/metal_backend.mm), the ops of the ToFloat
// and IntIdentity kinds (ops/elementwise.h/.cpp) and every op's C ABI registration
// (c_api/ops_elementwise.cpp). Per-op code is left to the functor, the ops with their own
// promotion rules (Own) and the derivatives (primitives/elementwise.cpp; none: zero).
//
// Columns of X(Name, mlx_name, kinds, out, fuses, metal, op):
//   Name      the primitive's name and its functor ew::Name
//   mlx_name  MLX's op name: error messages ("[mlx_name] ...") and Metal kernel names
//   kinds     the input dtypes the kernel is built for (Kinds in kernels/kinds.h); the op
//             has already promoted or rejected the others. complex64 is in Numeric,
//             Inexact and All; a ToFloat op of another kind rejects complex64 when built
//   out       Same (the input dtype) or Bool
//   fuses     1: compile may fuse it into an element-wise chain (floating outputs only;
//             the functor must then accept float and double)
//   metal     1: the MSL kernels <mlx_name>_<dtype> exist (metal/kernels/unary.h, binary.h)
//             for some dtypes; the backend falls back to the CPU for the others
//   op        how the graph-building op `mlx_name(a)` is made: ToFloat (generated: integers
//             and bool compute in float32, as MLX's exp), IntIdentity (generated: floating
//             dtypes run the kernel, integers and bool are returned as they are, as MLX's
//             floor), Own (written by hand in ops/elementwise.cpp: its own promotion or
//             checks). Every op here is registered in the C ABI from this table
//             (c_api/ops_elementwise.cpp), taking its arrays only.
// The lines of each list are in one order: the enums and the fused op codes follow it.
#pragma once

// clang-format off
#define MLX_ELEMENTWISE_UNARY(X)                                 \
  X(Negative,      negative,       Numeric,  Same, 1, 1, Own        )         \
  X(Exp,           exp,            Inexact,  Same, 1, 1, ToFloat    )         \
  X(Log,           log,            Inexact,  Same, 1, 1, ToFloat    )         \
  X(Tanh,          tanh,           Inexact,  Same, 1, 1, ToFloat    )         \
  X(Abs,           abs,            Numeric,  Same, 1, 1, Own        )         \
  X(Sign,          sign,           Numeric,  Same, 1, 0, Own        )         \
  X(Square,        square,         Numeric,  Same, 1, 1, Own        )         \
  X(Sqrt,          sqrt,           Inexact,  Same, 1, 1, ToFloat    )         \
  X(Rsqrt,         rsqrt,          Inexact,  Same, 1, 1, ToFloat    )         \
  X(Expm1,         expm1,          Floating, Same, 1, 0, ToFloat    )         \
  X(Log2,          log2,           Floating, Same, 1, 0, ToFloat    )         \
  X(Log10,         log10,          Floating, Same, 1, 0, ToFloat    )         \
  X(Log1p,         log1p,          Floating, Same, 1, 0, ToFloat    )         \
  X(Sin,           sin,            Inexact,  Same, 1, 1, ToFloat    )         \
  X(Cos,           cos,            Inexact,  Same, 1, 1, ToFloat    )         \
  X(Tan,           tan,            Inexact,  Same, 1, 0, ToFloat    )         \
  X(ArcSin,        arcsin,         Floating, Same, 1, 0, ToFloat    )         \
  X(ArcCos,        arccos,         Floating, Same, 1, 0, ToFloat    )         \
  X(ArcTan,        arctan,         Floating, Same, 1, 0, ToFloat    )         \
  X(Sinh,          sinh,           Inexact,  Same, 1, 0, ToFloat    )         \
  X(Cosh,          cosh,           Inexact,  Same, 1, 0, ToFloat    )         \
  X(ArcSinh,       arcsinh,        Floating, Same, 1, 0, ToFloat    )         \
  X(ArcCosh,       arccosh,        Floating, Same, 1, 0, ToFloat    )         \
  X(ArcTanh,       arctanh,        Floating, Same, 1, 0, ToFloat    )         \
  X(Sigmoid,       sigmoid,        Floating, Same, 1, 1, ToFloat    )         \
  X(Erf,           erf,            Floating, Same, 1, 0, ToFloat    )         \
  X(ErfInv,        erfinv,         Floating, Same, 1, 0, ToFloat    )         \
  X(Ceil,          ceil,           Floating, Same, 1, 1, IntIdentity)         \
  X(Floor,         floor,          Floating, Same, 1, 1, IntIdentity)         \
  X(Trunc,         trunc,          Floating, Same, 1, 0, IntIdentity)         \
  X(Round,         round,          Floating, Same, 1, 0, Own        )         \
  X(IsNan,         isnan,          Floating, Bool, 0, 0, Own        )         \
  X(IsInf,         isinf,          Floating, Bool, 0, 0, Own        )         \
  X(IsFinite,      isfinite,       Floating, Bool, 0, 0, Own        )         \
  X(IsPosInf,      isposinf,       Floating, Bool, 0, 0, Own        )         \
  X(IsNegInf,      isneginf,       Floating, Bool, 0, 0, Own        )         \
  X(LogicalNot,    logical_not,    Bool,     Bool, 0, 0, Own        )         \
  X(BitwiseInvert, bitwise_invert, Integer,  Same, 0, 0, Own        )         \
  X(Conjugate,     conjugate,      Numeric,  Same, 0, 0, Own        )

#define MLX_ELEMENTWISE_BINARY(X)                                \
  X(Add,           add,            All,      Same, 1, 1, Own        )         \
  X(Subtract,      subtract,       All,      Same, 1, 1, Own        )         \
  X(Multiply,      multiply,       All,      Same, 1, 1, Own        )         \
  X(Divide,        divide,         Inexact,  Same, 1, 1, Own        )         \
  X(FloorDivide,   floor_divide,   Real,     Same, 1, 0, Own        )         \
  X(Remainder,     remainder,      Real,     Same, 1, 0, Own        )         \
  X(Power,         power,          Numeric,  Same, 1, 1, Own        )         \
  X(Maximum,       maximum,        All,      Same, 1, 1, Own        )         \
  X(Minimum,       minimum,        All,      Same, 1, 1, Own        )         \
  X(LogAddExp,     logaddexp,      Floating, Same, 1, 0, Own        )         \
  X(ArcTan2,       arctan2,        Floating, Same, 1, 0, Own        )         \
  X(LogicalAnd,    logical_and,    Bool,     Bool, 0, 0, Own        )         \
  X(LogicalOr,     logical_or,     Bool,     Bool, 0, 0, Own        )         \
  X(BitwiseAnd,    bitwise_and,    Integral, Same, 0, 0, Own        )         \
  X(BitwiseOr,     bitwise_or,     Integral, Same, 0, 0, Own        )         \
  X(BitwiseXor,    bitwise_xor,    Integral, Same, 0, 0, Own        )         \
  X(LeftShift,     left_shift,     Integer,  Same, 0, 0, Own        )         \
  X(RightShift,    right_shift,    Integer,  Same, 0, 0, Own        )
// clang-format on

// The kernel sources in the order the backend concatenates them into one MSL library
// (each file relies only on the ones before it). Also used by scripts that embed them.
// MLX_METAL_KERNEL_FILE(name) is defined by the includer.
MLX_METAL_KERNEL_FILE(params.h)
MLX_METAL_KERNEL_FILE(common.h)
MLX_METAL_KERNEL_FILE(unary.h)
MLX_METAL_KERNEL_FILE(binary.h)
MLX_METAL_KERNEL_FILE(ternary.h)
MLX_METAL_KERNEL_FILE(reduce.h)
MLX_METAL_KERNEL_FILE(softmax.h)
MLX_METAL_KERNEL_FILE(matmul.h)
MLX_METAL_KERNEL_FILE(fast.h)
MLX_METAL_KERNEL_FILE(quantized.h)
MLX_METAL_KERNEL_FILE(quantized_fp.h)

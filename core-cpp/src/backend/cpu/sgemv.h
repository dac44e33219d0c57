// Single-precision products with few rows of A (a decode step: one token against a weight
// matrix). sgemm's packing copies all of B before multiplying, which for 1..4 rows costs as
// much as the product itself and pads the 4-row register tile with zeros; these loops read
// B once, in its own layout.
#pragma once

#include <cstdint>

namespace mlx {

// Rows of A up to which sgemm takes sgemv.
constexpr int64_t kSgemvMaxRows = 4;

// Whether sgemv handles B's layout: contiguous along N (b_cs == 1, the x @ W case) or
// along K (b_rs == 1, x @ W.T with W row-major, as nn.Linear stores it).
bool sgemv_supported(int64_t b_rs, int64_t b_cs);

// c[i*ldc + j] = sum_k A(i, k) * B(k, j) for M <= kSgemvMaxRows, with sgemm's operand
// convention (A(i, k) = a[i*a_rs + k*a_cs], B(k, j) = b[k*b_rs + j*b_cs]). Threads split the
// columns; every element is summed in the same order whatever the thread count.
void sgemv(int64_t M, int64_t N, int64_t K, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
           int64_t b_rs, int64_t b_cs, float* c, int64_t ldc);

}  // namespace mlx

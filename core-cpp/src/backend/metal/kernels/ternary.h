// where(cond, a, b) with broadcasting of all three operands over the output's shape.

template <typename T>
[[kernel]] void select_g(device const bool* c [[buffer(0)]], device const T* a [[buffer(1)]],
                         device const T* b [[buffer(2)]], device T* out [[buffer(3)]],
                         constant Layout& lc [[buffer(4)]], constant Layout& la [[buffer(5)]],
                         constant Layout& lb [[buffer(6)]], constant uint& n [[buffer(7)]],
                         uint gid [[thread_position_in_grid]]) {
  if (gid >= n) return;
  out[gid] = c[elem_to_loc(gid, lc)] ? a[elem_to_loc(gid, la)] : b[elem_to_loc(gid, lb)];
}

INSTANTIATE(where_float32, select_g, float)
INSTANTIATE(where_float16, select_g, half)
INSTANTIATE(where_int32, select_g, int)

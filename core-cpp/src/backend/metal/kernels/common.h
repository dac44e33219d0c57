// Helpers shared by every Metal kernel (Metal Shading Language). The backend
// (../metal_backend.mm) compiles the concatenation of its prelude, params.h, common.h and
// the kernel files (kernel_files.h lists them) at load; the tests
// compile the same files as C++ through ../shim/metal_shim.h. Keep to what both accept:
// no simdgroup intrinsics, threadgroup arrays only at kernel scope, no threadgroup pointers.

inline long elem_to_loc(uint index, constant Layout& l) {
  long loc = 0;
  for (int d = l.ndim - 1; d >= 0; --d) {
    uint dim = uint(l.shape[d]);
    loc += long(index % dim) * l.strides[d];
    index /= dim;
  }
  return loc;
}

// Accumulation type: float for half, the type itself otherwise.
template <typename T>
struct Acc {
  typedef T type;
};
template <>
struct Acc<half> {
  typedef float type;
};

// The C ABI: each function converts handles, runs the core inside `guard` (which turns
// every C++ exception into a status and a last-error message) and wraps results.
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "../allocator.h"
#include "../ops.h"
#include "../transforms.h"
#include "handles.h"

using namespace mlx;

namespace {

std::string& last_error() {
  static std::string* e = new std::string();
  return *e;
}

template <typename F>
int guard(F&& f) {
  try {
    f();
    return 0;
  } catch (const std::bad_alloc&) {
    last_error() = "[malloc] Out of memory.";
  } catch (const std::exception& e) {
    last_error() = e.what();
  } catch (...) {
    last_error() = "[mlxc] Unknown error.";
  }
  return 1;
}

Dtype to_dtype(int code, const char* op) {
  if (!is_valid_dtype(code)) {
    throw std::invalid_argument(std::string("[") + op + "] Unknown dtype code " + std::to_string(code) + ".");
  }
  return static_cast<Dtype>(code);
}

Shape to_shape(const int32_t* p, int n, const char* op) {
  if (n < 0 || (n > 0 && !p)) throw std::invalid_argument(std::string("[") + op + "] Invalid shape.");
  return Shape(p, p + n);
}

void check_out(const void* out) {
  if (!out) throw std::invalid_argument("[mlxc] Null output pointer.");
}

const char* const unary_names[] = {"negative", "exp", "log", "tanh"};
const char* const binary_names[] = {"add", "subtract", "multiply", "divide"};
const char* const reduce_names[] = {"sum", "mean", "max"};
static_assert(sizeof(unary_names) / sizeof(*unary_names) == MLXC_UNARY_COUNT);
static_assert(sizeof(binary_names) / sizeof(*binary_names) == MLXC_BINARY_COUNT);
static_assert(sizeof(reduce_names) / sizeof(*reduce_names) == MLXC_REDUCE_COUNT);

alignas(16) unsigned char scratch[MLXC_SCRATCH_BYTES];

}  // namespace

namespace mlx::capi {
const array& unwrap(mlxc_array h) {
  if (!h || !h->value.valid()) throw std::invalid_argument("[mlxc] Invalid array handle.");
  return h->value;
}
}  // namespace mlx::capi

using capi::unwrap;
using capi::wrap;

extern "C" {

const char* mlxc_last_error(void) { return last_error().c_str(); }
void mlxc_clear_error(void) { last_error().clear(); }

const char* mlxc_unary_op_name(int op) { return op >= 0 && op < MLXC_UNARY_COUNT ? unary_names[op] : nullptr; }
const char* mlxc_binary_op_name(int op) {
  return op >= 0 && op < MLXC_BINARY_COUNT ? binary_names[op] : nullptr;
}
const char* mlxc_reduce_op_name(int op) {
  return op >= 0 && op < MLXC_REDUCE_COUNT ? reduce_names[op] : nullptr;
}

void* mlxc_scratch(void) { return scratch; }

// ---- arrays ----------------------------------------------------------------------

int mlxc_array_free(mlxc_array a) {
  delete a;
  return 0;
}

int mlxc_array_retain(mlxc_array* out, mlxc_array a) {
  return guard([&] {
    check_out(out);
    *out = wrap(unwrap(a));
  });
}

int mlxc_array_new_empty(mlxc_array* out, const int32_t* shape, int ndim, int dtype) {
  return guard([&] {
    check_out(out);
    *out = wrap(array::empty(to_shape(shape, ndim, "array"), to_dtype(dtype, "array")));
  });
}

int mlxc_array_new_scalar(mlxc_array* out, double value, int dtype) {
  return guard([&] {
    check_out(out);
    *out = wrap(array::scalar(value, to_dtype(dtype, "array")));
  });
}

int mlxc_array_ndim(mlxc_array a) { return a ? a->value.ndim() : -1; }
const int32_t* mlxc_array_shape(mlxc_array a) { return a ? a->value.shape().data() : nullptr; }
int mlxc_array_dtype(mlxc_array a) { return a ? static_cast<int>(a->value.dtype()) : -1; }
size_t mlxc_array_size(mlxc_array a) { return a ? a->value.size() : 0; }
int mlxc_array_is_evaluated(mlxc_array a) { return a && a->value.is_evaluated() ? 1 : 0; }
uintptr_t mlxc_array_id(mlxc_array a) { return a ? a->value.id() : 0; }

int mlxc_array_contiguous(mlxc_array* out, mlxc_array a) {
  return guard([&] {
    check_out(out);
    const array& x = unwrap(a);
    eval(x);
    if (x.flags().row_contiguous) {
      *out = wrap(x);
    } else {
      *out = wrap(x.converted(x.dtype()));
    }
  });
}

void* mlxc_array_data(mlxc_array a) {
  if (!a || !a->value.valid() || !a->value.is_evaluated()) return nullptr;
  return a->value.raw_data();
}

// ---- vectors ---------------------------------------------------------------------

int mlxc_vector_new(mlxc_vector* out) {
  return guard([&] {
    check_out(out);
    *out = new mlxc_vector_s();
  });
}
int mlxc_vector_free(mlxc_vector v) {
  delete v;
  return 0;
}
int mlxc_vector_append(mlxc_vector v, mlxc_array a) {
  return guard([&] {
    if (!v) throw std::invalid_argument("[mlxc] Invalid vector handle.");
    v->values.push_back(unwrap(a));
  });
}
size_t mlxc_vector_size(mlxc_vector v) { return v ? v->values.size() : 0; }
int mlxc_vector_get(mlxc_array* out, mlxc_vector v, size_t i) {
  return guard([&] {
    check_out(out);
    if (!v || i >= v->values.size()) throw std::invalid_argument("[mlxc] Vector index out of range.");
    *out = wrap(v->values[i]);
  });
}

// ---- closures ----------------------------------------------------------------------

int mlxc_closure_new(mlxc_closure* out, uint32_t host_id) {
  return guard([&] {
    check_out(out);
    *out = new mlxc_closure_s{std::make_shared<Closure>(host_id)};
  });
}
int mlxc_closure_free(mlxc_closure c) {
  delete c;
  return 0;
}
int mlxc_closure_apply(mlxc_vector* out, mlxc_closure c, mlxc_vector inputs) {
  return guard([&] {
    check_out(out);
    if (!c || !inputs) throw std::invalid_argument("[closure] Invalid closure or input handle.");
    auto result = std::make_unique<mlxc_vector_s>();
    result->values = (*c->value)(inputs->values);
    *out = result.release();
  });
}

// ---- evaluation and memory ------------------------------------------------------------

int mlxc_eval(const mlxc_array* arrays, int n) {
  return guard([&] {
    std::vector<array> xs;
    xs.reserve(n);
    for (int i = 0; i < n; ++i) xs.push_back(unwrap(arrays[i]));
    eval(std::move(xs));
  });
}

int mlxc_memory_stats(double* out5) {
  return guard([&] {
    check_out(out5);
    out5[0] = double(allocator::active_memory());
    out5[1] = double(allocator::peak_memory());
    out5[2] = double(allocator::cache_memory());
    out5[3] = double(array::live_count());
    out5[4] = double(allocator::memory_limit());
  });
}
int mlxc_set_memory_limit(double bytes) {
  return guard([&] { allocator::set_memory_limit(bytes <= 0 ? 0 : size_t(bytes)); });
}
int mlxc_set_cache_limit(double bytes) {
  return guard([&] { allocator::set_cache_limit(bytes <= 0 ? 0 : size_t(bytes)); });
}
int mlxc_clear_cache(void) {
  return guard([] { allocator::clear_cache(); });
}
int mlxc_reset_peak_memory(void) {
  return guard([] { allocator::reset_peak_memory(); });
}

// ---- ops ------------------------------------------------------------------------------

int mlxc_unary(mlxc_array* out, int op, mlxc_array a) {
  return guard([&] {
    check_out(out);
    const array& x = unwrap(a);
    switch (op) {
      case MLXC_UNARY_NEGATIVE: *out = wrap(negative(x)); break;
      case MLXC_UNARY_EXP: *out = wrap(mlx::exp(x)); break;
      case MLXC_UNARY_LOG: *out = wrap(mlx::log(x)); break;
      case MLXC_UNARY_TANH: *out = wrap(mlx::tanh(x)); break;
      default: throw std::invalid_argument("[unary] Unknown op code " + std::to_string(op) + ".");
    }
  });
}

int mlxc_binary(mlxc_array* out, int op, mlxc_array a, mlxc_array b) {
  return guard([&] {
    check_out(out);
    const array& x = unwrap(a);
    const array& y = unwrap(b);
    switch (op) {
      case MLXC_BINARY_ADD: *out = wrap(add(x, y)); break;
      case MLXC_BINARY_SUBTRACT: *out = wrap(subtract(x, y)); break;
      case MLXC_BINARY_MULTIPLY: *out = wrap(multiply(x, y)); break;
      case MLXC_BINARY_DIVIDE: *out = wrap(divide(x, y)); break;
      default: throw std::invalid_argument("[binary] Unknown op code " + std::to_string(op) + ".");
    }
  });
}

int mlxc_reduce(mlxc_array* out, int op, mlxc_array a, const int32_t* axes, int naxes, int keepdims) {
  return guard([&] {
    check_out(out);
    const array& x = unwrap(a);
    std::optional<std::vector<int>> ax;
    if (naxes >= 0) ax = std::vector<int>(axes, axes + naxes);
    switch (op) {
      case MLXC_REDUCE_SUM: *out = wrap(sum(x, ax, keepdims != 0)); break;
      case MLXC_REDUCE_MEAN: *out = wrap(mean(x, ax, keepdims != 0)); break;
      case MLXC_REDUCE_MAX: *out = wrap(max(x, ax, keepdims != 0)); break;
      default: throw std::invalid_argument("[reduce] Unknown op code " + std::to_string(op) + ".");
    }
  });
}

int mlxc_reshape(mlxc_array* out, mlxc_array a, const int32_t* shape, int ndim) {
  return guard([&] {
    check_out(out);
    *out = wrap(reshape(unwrap(a), to_shape(shape, ndim, "reshape")));
  });
}

int mlxc_transpose(mlxc_array* out, mlxc_array a, const int32_t* axes, int naxes) {
  return guard([&] {
    check_out(out);
    std::optional<std::vector<int>> ax;
    if (naxes >= 0) ax = std::vector<int>(axes, axes + naxes);
    *out = wrap(transpose(unwrap(a), ax));
  });
}

int mlxc_broadcast_to(mlxc_array* out, mlxc_array a, const int32_t* shape, int ndim) {
  return guard([&] {
    check_out(out);
    *out = wrap(broadcast_to(unwrap(a), to_shape(shape, ndim, "broadcast_to")));
  });
}

int mlxc_astype(mlxc_array* out, mlxc_array a, int dtype) {
  return guard([&] {
    check_out(out);
    *out = wrap(astype(unwrap(a), to_dtype(dtype, "astype")));
  });
}

int mlxc_matmul(mlxc_array* out, mlxc_array a, mlxc_array b) {
  return guard([&] {
    check_out(out);
    *out = wrap(matmul(unwrap(a), unwrap(b)));
  });
}

int mlxc_arange(mlxc_array* out, double start, double stop, double step, int dtype) {
  return guard([&] {
    check_out(out);
    *out = wrap(arange(start, stop, step, to_dtype(dtype, "arange")));
  });
}

int mlxc_full(mlxc_array* out, const int32_t* shape, int ndim, mlxc_array value, int dtype) {
  return guard([&] {
    check_out(out);
    *out = wrap(full(to_shape(shape, ndim, "full"), unwrap(value), to_dtype(dtype, "full")));
  });
}

}  // extern "C"

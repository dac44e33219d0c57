// The C ABI: each function converts handles, runs the core inside `guard` (which turns
// every C++ exception into a status and a last-error message) and wraps results.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "../allocator.h"
#include "transforms/compile.h"
#include "transforms/custom.h"
#include "transforms/vmap.h"
#include "../ops.h"
#include "transforms/eval_grad.h"
#include "handles.h"
#include "op_registry.h"

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
int mlxc_array_shape(int32_t* out, int max_ndim, mlxc_array a) {
  if (!a || !out || !a->value.valid() || a->value.ndim() > max_ndim) return -1;
  const auto& shape = a->value.shape();
  std::copy(shape.begin(), shape.end(), out);
  return static_cast<int>(shape.size());
}
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
    auto c = std::make_shared<Closure>(host_id);
    *out = new mlxc_closure_s{[c](const std::vector<array>& xs) { return (*c)(xs); }};
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
    result->values = c->value(inputs->values);
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

int mlxc_eval_begin(mlxc_eval_session* out, const mlxc_array* arrays, int n) {
  return guard([&] {
    check_out(out);
    if (detail::in_tracing()) {
      throw std::invalid_argument("[async_eval] Cannot be used inside a transform (grad, vmap, compile, ...).");
    }
    std::vector<array> xs;
    for (int i = 0; i < n; ++i) xs.push_back(unwrap(arrays[i]));
    *out = reinterpret_cast<mlxc_eval_session>(new EvalSession(std::move(xs)));
  });
}

int mlxc_eval_step(mlxc_eval_session s, int budget, int* done) {
  return guard([&] {
    check_out(done);
    if (!s) throw std::invalid_argument("[async_eval] Invalid session.");
    *done = reinterpret_cast<EvalSession*>(s)->step(budget > 0 ? size_t(budget) : 1) ? 1 : 0;
  });
}

int mlxc_eval_run(mlxc_eval_session s) {
  return guard([&] {
    if (!s) throw std::invalid_argument("[async_eval] Invalid session.");
    auto* session = reinterpret_cast<EvalSession*>(s);
    while (!session->step(size_t(1) << 30)) {
    }
  });
}

int mlxc_eval_free(mlxc_eval_session s) {
  delete reinterpret_cast<EvalSession*>(s);
  return 0;
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
// A byte count from the host: a whole number in [0, 2^53] (NaN, negative and fractional
// values are errors, not casts with undefined results).
static size_t byte_count(const char* op, double bytes) {
  if (!(bytes >= 0 && bytes <= 9007199254740992.0) || bytes != std::floor(bytes)) {
    throw std::invalid_argument(std::string("[") + op + "] The limit must be a whole number of bytes >= 0.");
  }
  return bytes > double(SIZE_MAX) ? SIZE_MAX : size_t(bytes);
}
int mlxc_set_memory_limit(double bytes) {
  return guard([&] { allocator::set_memory_limit(byte_count("set_memory_limit", bytes)); });
}
int mlxc_set_cache_limit(double bytes) {
  return guard([&] { allocator::set_cache_limit(byte_count("set_cache_limit", bytes)); });
}
int mlxc_clear_cache(void) {
  return guard([] { allocator::clear_cache(); });
}
int mlxc_reset_peak_memory(void) {
  return guard([] { allocator::reset_peak_memory(); });
}

// ---- ops ------------------------------------------------------------------------------

int mlxc_op_count(void) { return static_cast<int>(capi::op_table().size()); }

const char* mlxc_op_name(int id) {
  auto& t = capi::op_table();
  return id >= 0 && id < static_cast<int>(t.size()) ? t[id].name.c_str() : nullptr;
}

int mlxc_op_id(const char* name) {
  if (!name) return -1;
  auto& t = capi::op_table();
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].name == name) return static_cast<int>(i);
  return -1;
}

const char* mlxc_op_schema(int id) {
  auto& t = capi::op_table();
  return id >= 0 && id < static_cast<int>(t.size()) ? t[id].schema.c_str() : nullptr;
}

namespace {

// Runs op `id` on `ins` (the shared body of mlxc_op and mlxc_op_vector).
std::vector<array> run_op(int id, std::vector<array> ins, const int32_t* ints, int n_ints, const double* reals,
                          int n_reals) {
  auto& t = capi::op_table();
  if (id < 0 || id >= static_cast<int>(t.size())) {
    throw std::invalid_argument("[mlxc_op] Unknown op id " + std::to_string(id) + ".");
  }
  const capi::OpEntry& op = t[id];
  if (op.arity >= 0 && static_cast<int>(ins.size()) != op.arity) {
    throw std::invalid_argument("[" + op.name + "] Expected " + std::to_string(op.arity) + " array inputs, got " +
                                std::to_string(ins.size()) + ".");
  }
  if (!op.schema_error.empty()) throw std::invalid_argument(op.schema_error);
  capi::Params params(op.name, op.params, ints, n_ints, reals, n_reals);
  std::vector<array> outs = op.fn(ins, params);
  params.done();
  return outs;
}

}  // namespace

int mlxc_op(mlxc_array* outputs, int max_outputs, int* n_outputs, mlxc_vector* spill, int id,
            const mlxc_array* inputs, int n_inputs, const int32_t* ints, int n_ints, const double* reals,
            int n_reals) {
  return guard([&] {
    check_out(outputs);
    check_out(n_outputs);
    if (n_inputs < 0 || (n_inputs > 0 && !inputs)) throw std::invalid_argument("[mlxc_op] Invalid inputs.");
    std::vector<array> ins;
    ins.reserve(n_inputs);
    for (int i = 0; i < n_inputs; ++i) ins.push_back(unwrap(inputs[i]));
    std::vector<array> outs = run_op(id, std::move(ins), ints, n_ints, reals, n_reals);
    if (static_cast<int>(outs.size()) > max_outputs) {
      check_out(spill);
      auto v = std::make_unique<mlxc_vector_s>();
      v->values = std::move(outs);
      *n_outputs = static_cast<int>(v->values.size());
      *spill = v.release();
      return;
    }
    for (size_t i = 0; i < outs.size(); ++i) outputs[i] = wrap(std::move(outs[i]));
    *n_outputs = static_cast<int>(outs.size());
  });
}

int mlxc_op_vector(mlxc_vector* outputs, int id, mlxc_vector inputs, const int32_t* ints, int n_ints,
                   const double* reals, int n_reals) {
  return guard([&] {
    check_out(outputs);
    if (!inputs) throw std::invalid_argument("[mlxc] Invalid vector handle.");
    auto v = std::make_unique<mlxc_vector_s>();
    v->values = run_op(id, inputs->values, ints, n_ints, reals, n_reals);
    *outputs = v.release();
  });
}

// ---- transforms ---------------------------------------------------------------------------

namespace {

Function closure_function(mlxc_closure fn) {
  if (!fn || !fn->value) throw std::invalid_argument("[closure] Invalid closure handle.");
  return fn->value;
}

const std::vector<array>& vector_values(mlxc_vector v) {
  if (!v) throw std::invalid_argument("[mlxc] Invalid vector handle.");
  return v->values;
}

void write_pair(mlxc_vector* first, mlxc_vector* second,
                std::pair<std::vector<array>, std::vector<array>> result) {
  auto a = std::make_unique<mlxc_vector_s>();
  auto b = std::make_unique<mlxc_vector_s>();
  a->values = std::move(result.first);
  b->values = std::move(result.second);
  *first = a.release();
  *second = b.release();
}

}  // namespace

int mlxc_vjp(mlxc_vector* outputs, mlxc_vector* vjps, mlxc_closure fn, mlxc_vector primals, mlxc_vector cotangents) {
  return guard([&] {
    check_out(outputs);
    check_out(vjps);
    write_pair(outputs, vjps, vjp(closure_function(fn), vector_values(primals), vector_values(cotangents)));
  });
}

int mlxc_jvp(mlxc_vector* outputs, mlxc_vector* jvps, mlxc_closure fn, mlxc_vector primals, mlxc_vector tangents) {
  return guard([&] {
    check_out(outputs);
    check_out(jvps);
    write_pair(outputs, jvps, jvp(closure_function(fn), vector_values(primals), vector_values(tangents)));
  });
}

int mlxc_value_and_grad(mlxc_vector* values, mlxc_vector* grads, mlxc_closure fn, mlxc_vector primals) {
  return guard([&] {
    check_out(values);
    check_out(grads);
    write_pair(values, grads, value_and_grad(closure_function(fn), vector_values(primals)));
  });
}

int mlxc_custom_function(mlxc_vector* outputs, mlxc_closure fn, mlxc_closure vjp_fn, mlxc_closure jvp_fn,
                         mlxc_closure vmap_fn, mlxc_vector args) {
  return guard([&] {
    check_out(outputs);
    std::optional<VjpRule> vjp_rule;
    std::optional<JvpRule> jvp_rule;
    if (vjp_fn) {
      Function f = closure_function(vjp_fn);
      vjp_rule = [f](const std::vector<array>& primals, const std::vector<array>& cotangents,
                     const std::vector<array>& outs) {
        std::vector<array> all = primals;
        all.insert(all.end(), cotangents.begin(), cotangents.end());
        all.insert(all.end(), outs.begin(), outs.end());
        return f(all);
      };
    }
    if (jvp_fn) {
      Function f = closure_function(jvp_fn);
      jvp_rule = [f](const std::vector<array>& primals, const std::vector<array>& tangents) {
        std::vector<array> all = primals;
        all.insert(all.end(), tangents.begin(), tangents.end());
        return f(all);
      };
    }
    std::optional<VmapRule> vmap_rule;
    if (vmap_fn) {
      Function f = closure_function(vmap_fn);
      vmap_rule = [f](const std::vector<array>& args, const std::vector<int>& axes) {
        std::vector<array> all = args;
        all.push_back(array::from_vector(std::vector<int32_t>(axes.begin(), axes.end()),
                                         {static_cast<int32_t>(axes.size())}));
        std::vector<array> res = f(all);
        if (res.empty()) throw std::invalid_argument("[custom_function] The vmap function returned nothing.");
        array ax = astype(res.back(), Dtype::int32);
        eval(ax);
        ax = ax.converted(Dtype::int32);
        res.pop_back();
        std::vector<int> out_axes(ax.data<int32_t>(), ax.data<int32_t>() + ax.size());
        return std::make_pair(res, out_axes);
      };
    }
    Function custom = custom_function(closure_function(fn), vjp_rule, jvp_rule, vmap_rule);
    auto result = std::make_unique<mlxc_vector_s>();
    result->values = custom(vector_values(args));
    *outputs = result.release();
  });
}

int mlxc_vmap(mlxc_vector* outputs, int32_t* out_axes, int max_outputs, mlxc_closure fn, mlxc_vector inputs,
              const int32_t* in_axes, int n_in_axes) {
  return guard([&] {
    check_out(outputs);
    check_out(out_axes);
    if (n_in_axes < 0 || (n_in_axes > 0 && !in_axes)) throw std::invalid_argument("[vmap] Invalid in_axes.");
    std::vector<int> axes(in_axes, in_axes + n_in_axes);
    auto [outs, oaxes] = vmap_trace(closure_function(fn), vector_values(inputs), axes);
    if (static_cast<int>(outs.size()) > max_outputs) {
      throw std::invalid_argument("[vmap] The function has " + std::to_string(outs.size()) +
                                  " outputs; at most " + std::to_string(max_outputs) + " are supported.");
    }
    for (size_t i = 0; i < oaxes.size(); ++i) out_axes[i] = oaxes[i];
    auto result = std::make_unique<mlxc_vector_s>();
    result->values = std::move(outs);
    *outputs = result.release();
  });
}

int mlxc_compile(mlxc_closure* out, mlxc_closure fn, int shapeless) {
  return guard([&] {
    check_out(out);
    *out = new mlxc_closure_s{compile(closure_function(fn), shapeless != 0)};
  });
}

double mlxc_kernel_count(void) { return static_cast<double>(kernel_count()); }

int mlxc_checkpoint(mlxc_vector* outputs, mlxc_closure fn, mlxc_vector args) {
  return guard([&] {
    check_out(outputs);
    auto result = std::make_unique<mlxc_vector_s>();
    result->values = checkpoint(closure_function(fn))(vector_values(args));
    *outputs = result.release();
  });
}

}  // extern "C"

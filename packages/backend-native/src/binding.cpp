// The Node-API face of the mlxc C ABI (core-cpp/include/mlxc.h). Each JS function converts
// its arguments, calls one mlxc_* function and throws the core's message on failure, so the
// TypeScript NativeBackend over it mirrors the wasm backend call for call.
//
// Handles: mlxc_array / mlxc_closure pointers travel to JS as numbers (doubles). User-space
// pointers on the 64-bit systems Node runs on fit in 48 bits, which a double holds exactly.
//
// Closures: the core calls the host's C callbacks (mlxc_set_host_callbacks) only while a
// synchronous call from JS is running, on that same thread, so the callbacks call the JS
// functions registered with setHost() directly. A release arriving on any other thread (it
// should not happen) is queued and delivered at the next call from JS.
//
// Threads: evalAsync runs the core's eval on a libuv worker thread (napi_async_work). The
// core is not thread-safe, so every entry point takes one core-wide (recursive: host
// callbacks re-enter from the JS thread) mutex, and the worker holds it for the whole
// eval: a core call from JS made meanwhile waits until the eval finishes. The eval itself
// never calls host closures (no primitive's eval_cpu does: closures run only while
// tracing, i.e. in vjp/jvp/vmap/compile/closureApply, all synchronous calls from JS), and
// host_call refuses any other thread anyway; a closure released by the worker (the last
// graph node holding it freed) is queued for the JS thread like any foreign release.
#include <node_api.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mlxc.h"
#include "mlxc_threads.h"

#ifdef MLX_METAL
#include "backend/metal/metal_backend.h"  // core-cpp/src/backend/metal (macOS builds only)
#endif

namespace {

napi_env g_env = nullptr;
napi_ref g_host_call = nullptr;
napi_ref g_host_release = nullptr;
std::thread::id g_main_thread;
std::mutex g_queue_mutex;
std::vector<uint32_t> g_queued_releases;
std::atomic<bool> g_has_queued{false};
std::recursive_mutex g_core;
// Metal (macOS builds): empty when the device and the kernel library are ready, else why not.
std::string g_metal_unavailable = "the native addon was built without Metal (Metal builds are macOS only)";

constexpr int kMaxOutputs = 256;

size_t dtype_size(int code) {
  switch (code) {
    case MLXC_BOOL: case MLXC_UINT8: case MLXC_INT8: return 1;
    case MLXC_UINT16: case MLXC_INT16: case MLXC_FLOAT16: case MLXC_BFLOAT16: return 2;
    case MLXC_UINT32: case MLXC_INT32: case MLXC_FLOAT32: return 4;
    default: return 8;
  }
}

// ---- argument helpers (each returns false with a JS exception pending) -----------------

bool throw_core_error(napi_env env) {
  const char* msg = mlxc_last_error();
  napi_throw_error(env, nullptr, (msg && *msg) ? msg : "[mlxjs-native] A core call failed without a message.");
  return false;
}

bool ok(napi_env env, int status) { return status == 0 ? true : throw_core_error(env); }

bool get_double(napi_env env, napi_value v, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Expected a number.");
    return false;
  }
  return true;
}

template <typename T>
bool get_ptr(napi_env env, napi_value v, T* out) {
  double d;
  if (!get_double(env, v, &d)) return false;
  *out = reinterpret_cast<T>(static_cast<uintptr_t>(d));
  return true;
}

template <typename T>
napi_value from_ptr(napi_env env, T p) {
  napi_value v;
  napi_create_double(env, static_cast<double>(reinterpret_cast<uintptr_t>(p)), &v);
  return v;
}

napi_value number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

napi_value undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

bool get_doubles(napi_env env, napi_value arr, std::vector<double>* out) {
  bool is_array = false;
  napi_is_array(env, arr, &is_array);
  if (!is_array) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Expected an array of numbers.");
    return false;
  }
  uint32_t n = 0;
  napi_get_array_length(env, arr, &n);
  out->resize(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, arr, i, &e);
    if (!get_double(env, e, &(*out)[i])) return false;
  }
  return true;
}

// JS's ToInt32 (what storing into an Int32Array does, as the wasm backend passes its
// parameters): truncate, wrap modulo 2^32; NaN and infinities become 0. A plain cast of an
// out-of-range double would be undefined behaviour.
int32_t to_int32(double d) {
  if (!std::isfinite(d)) return 0;
  double m = std::fmod(std::trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

bool get_ints(napi_env env, napi_value arr, std::vector<int32_t>* out) {
  std::vector<double> d;
  if (!get_doubles(env, arr, &d)) return false;
  out->resize(d.size());
  for (size_t i = 0; i < d.size(); i++) (*out)[i] = to_int32(d[i]);
  return true;
}

bool get_handles(napi_env env, napi_value arr, std::vector<mlxc_array>* out) {
  std::vector<double> d;
  if (!get_doubles(env, arr, &d)) return false;
  out->resize(d.size());
  for (size_t i = 0; i < d.size(); i++) (*out)[i] = reinterpret_cast<mlxc_array>(static_cast<uintptr_t>(d[i]));
  return true;
}

napi_value handle_array(napi_env env, const mlxc_array* hs, size_t n) {
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (size_t i = 0; i < n; i++) napi_set_element(env, arr, static_cast<uint32_t>(i), from_ptr(env, hs[i]));
  return arr;
}

napi_value int_array(napi_env env, const int32_t* xs, size_t n) {
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (size_t i = 0; i < n; i++) napi_set_element(env, arr, static_cast<uint32_t>(i), number(env, xs[i]));
  return arr;
}

// An owned mlxc_vector, freed on scope exit.
struct Vec {
  mlxc_vector v = nullptr;
  ~Vec() {
    if (v) mlxc_vector_free(v);
  }
};

// A vector holding the arrays of a JS list of handles.
bool make_vector(napi_env env, napi_value arr, Vec* out) {
  std::vector<mlxc_array> hs;
  if (!get_handles(env, arr, &hs)) return false;
  if (!ok(env, mlxc_vector_new(&out->v))) return false;
  for (mlxc_array h : hs) {
    if (!ok(env, mlxc_vector_append(out->v, h))) return false;
  }
  return true;
}

// New handles to every element of a vector, as a JS array (the caller owns them).
bool vector_to_js(napi_env env, mlxc_vector v, napi_value* out) {
  size_t n = mlxc_vector_size(v);
  std::vector<mlxc_array> hs;
  hs.reserve(n);
  for (size_t i = 0; i < n; i++) {
    mlxc_array a = nullptr;
    if (mlxc_vector_get(&a, v, i) != 0) {
      for (mlxc_array h : hs) mlxc_array_free(h);
      return throw_core_error(env);
    }
    hs.push_back(a);
  }
  *out = handle_array(env, hs.data(), hs.size());
  return true;
}

napi_value pair(napi_env env, napi_value a, napi_value b) {
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

// ---- host callbacks ---------------------------------------------------------------------

void deliver_release(napi_env env, uint32_t id) {
  if (!g_host_release) return;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value fn, global, arg = number(env, id), result;
  napi_get_reference_value(env, g_host_release, &fn);
  napi_get_global(env, &global);
  if (napi_call_function(env, global, fn, 1, &arg, &result) != napi_ok) {
    // An onRelease that throws must not poison the core call in progress.
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  napi_close_handle_scope(env, scope);
}

void drain_releases(napi_env env) {
  if (!g_has_queued.load(std::memory_order_acquire)) return;
  std::vector<uint32_t> ids;
  {
    std::lock_guard<std::mutex> lock(g_queue_mutex);
    ids.swap(g_queued_releases);
    g_has_queued.store(false, std::memory_order_release);
  }
  for (uint32_t id : ids) deliver_release(env, id);
}

void host_release(uint32_t id) {
  if (g_env == nullptr) return;  // the environment is shutting down
  if (std::this_thread::get_id() != g_main_thread) {
    std::lock_guard<std::mutex> lock(g_queue_mutex);
    g_queued_releases.push_back(id);
    g_has_queued.store(true, std::memory_order_release);
    return;
  }
  deliver_release(g_env, id);
}

// Runs JS hostCall(id, inputHandles) -> outputHandles | null (null: it threw; the JS side
// keeps the Error to rethrow). The returned handles are ours: appended, then freed.
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  napi_env env = g_env;
  if (env == nullptr || g_host_call == nullptr || std::this_thread::get_id() != g_main_thread) return 1;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int status = 1;
  napi_value fn, global, args[2], result;
  napi_get_reference_value(env, g_host_call, &fn);
  napi_get_global(env, &global);
  args[0] = number(env, id);
  if (vector_to_js(env, inputs, &args[1]) &&
      napi_call_function(env, global, fn, 2, args, &result) == napi_ok) {
    bool is_array = false;
    napi_is_array(env, result, &is_array);
    if (is_array) {
      std::vector<mlxc_array> produced;
      if (get_handles(env, result, &produced)) {
        status = 0;
        for (mlxc_array h : produced) {
          if (status == 0 && mlxc_vector_append(outputs, h) != 0) status = 1;
          mlxc_array_free(h);
        }
      }
    }
  }
  // The JS side catches what the user function throws; anything left here is ours.
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    status = 1;
  }
  napi_close_handle_scope(env, scope);
  return status;
}

// ---- the exported functions ----------------------------------------------------------------

#define CORE_LOCK() std::lock_guard<std::recursive_mutex> core_lock(g_core)

#define ARGS(n)                                                             \
  CORE_LOCK();                                                              \
  size_t argc = n;                                                          \
  napi_value argv[n];                                       \
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);               \
  if (argc < (n)) {                                                         \
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Too few arguments."); \
    return nullptr;                                                         \
  }                                                                         \
  drain_releases(env)

// For functions without arguments.
#define NO_ARGS() \
  CORE_LOCK();    \
  drain_releases(env)

#define TRY(x) \
  if (!(x)) return nullptr

napi_value SetHost(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (g_host_call) napi_delete_reference(env, g_host_call);
  if (g_host_release) napi_delete_reference(env, g_host_release);
  napi_create_reference(env, argv[0], 1, &g_host_call);
  napi_create_reference(env, argv[1], 1, &g_host_release);
  return undefined(env);
}

napi_value ClearError(napi_env env, napi_callback_info info) {
  CORE_LOCK();
  mlxc_clear_error();
  return undefined(env);
}

napi_value OpCount(napi_env env, napi_callback_info info) {
  CORE_LOCK();
  return number(env, mlxc_op_count());
}

napi_value OpName(napi_env env, napi_callback_info info) {
  ARGS(1);
  double i;
  TRY(get_double(env, argv[0], &i));
  const char* name = mlxc_op_name(to_int32(i));
  napi_value s;
  napi_create_string_utf8(env, name ? name : "", NAPI_AUTO_LENGTH, &s);
  return s;
}

napi_value OpSchema(napi_env env, napi_callback_info info) {
  ARGS(1);
  double i;
  TRY(get_double(env, argv[0], &i));
  const char* schema = mlxc_op_schema(to_int32(i));
  napi_value s;
  napi_create_string_utf8(env, schema ? schema : "", NAPI_AUTO_LENGTH, &s);
  return s;
}

napi_value OpId(napi_env env, napi_callback_info info) {
  ARGS(1);
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[0], nullptr, 0, &len) != napi_ok) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Expected an op name.");
    return nullptr;
  }
  std::string name(len, '\0');
  napi_get_value_string_utf8(env, argv[0], &name[0], len + 1, &len);
  return number(env, mlxc_op_id(name.c_str()));
}

// op(id, inputs, ints, reals) -> handles
napi_value Op(napi_env env, napi_callback_info info) {
  ARGS(4);
  double id;
  std::vector<mlxc_array> inputs;
  std::vector<int32_t> ints;
  std::vector<double> reals;
  TRY(get_double(env, argv[0], &id));
  TRY(get_handles(env, argv[1], &inputs));
  TRY(get_ints(env, argv[2], &ints));
  TRY(get_doubles(env, argv[3], &reals));
  mlxc_array outs[kMaxOutputs];
  int n = 0;
  TRY(ok(env, mlxc_op(outs, kMaxOutputs, &n, to_int32(id), inputs.data(), static_cast<int>(inputs.size()),
                      ints.data(), static_cast<int>(ints.size()), reals.data(), static_cast<int>(reals.size()))));
  return handle_array(env, outs, static_cast<size_t>(n));
}

// Transforms taking closures and vectors, returning one or two vectors.
napi_value two_vectors(napi_env env, int status, Vec& a, Vec& b) {
  TRY(ok(env, status));
  napi_value x, y;
  TRY(vector_to_js(env, a.v, &x));
  if (!vector_to_js(env, b.v, &y)) {
    uint32_t n = 0;
    napi_get_array_length(env, x, &n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      mlxc_array h;
      napi_get_element(env, x, i, &e);
      if (get_ptr(env, e, &h)) mlxc_array_free(h);
    }
    return nullptr;
  }
  return pair(env, x, y);
}

napi_value Vjp(napi_env env, napi_callback_info info) {
  ARGS(3);
  mlxc_closure fn;
  Vec p, c, o1, o2;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &p));
  TRY(make_vector(env, argv[2], &c));
  return two_vectors(env, mlxc_vjp(&o1.v, &o2.v, fn, p.v, c.v), o1, o2);
}

napi_value Jvp(napi_env env, napi_callback_info info) {
  ARGS(3);
  mlxc_closure fn;
  Vec p, t, o1, o2;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &p));
  TRY(make_vector(env, argv[2], &t));
  return two_vectors(env, mlxc_jvp(&o1.v, &o2.v, fn, p.v, t.v), o1, o2);
}

napi_value ValueAndGrad(napi_env env, napi_callback_info info) {
  ARGS(2);
  mlxc_closure fn;
  Vec p, o1, o2;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &p));
  return two_vectors(env, mlxc_value_and_grad(&o1.v, &o2.v, fn, p.v), o1, o2);
}

napi_value one_vector(napi_env env, int status, Vec& out) {
  TRY(ok(env, status));
  napi_value x;
  TRY(vector_to_js(env, out.v, &x));
  return x;
}

napi_value CustomFunction(napi_env env, napi_callback_info info) {
  ARGS(5);
  mlxc_closure fn, vjp, jvp, vmap;
  Vec a, out;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(get_ptr(env, argv[1], &vjp));
  TRY(get_ptr(env, argv[2], &jvp));
  TRY(get_ptr(env, argv[3], &vmap));
  TRY(make_vector(env, argv[4], &a));
  return one_vector(env, mlxc_custom_function(&out.v, fn, vjp, jvp, vmap, a.v), out);
}

napi_value Checkpoint(napi_env env, napi_callback_info info) {
  ARGS(2);
  mlxc_closure fn;
  Vec a, out;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &a));
  return one_vector(env, mlxc_checkpoint(&out.v, fn, a.v), out);
}

napi_value ClosureApply(napi_env env, napi_callback_info info) {
  ARGS(2);
  mlxc_closure fn;
  Vec a, out;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &a));
  return one_vector(env, mlxc_closure_apply(&out.v, fn, a.v), out);
}

// vmap(fn, inputs, inAxes) -> [outputs, outAxes]
napi_value Vmap(napi_env env, napi_callback_info info) {
  ARGS(3);
  mlxc_closure fn;
  Vec in, out;
  std::vector<int32_t> in_axes;
  TRY(get_ptr(env, argv[0], &fn));
  TRY(make_vector(env, argv[1], &in));
  TRY(get_ints(env, argv[2], &in_axes));
  std::vector<int32_t> out_axes(4096);
  TRY(ok(env, mlxc_vmap(&out.v, out_axes.data(), static_cast<int>(out_axes.size()), fn, in.v, in_axes.data(),
                        static_cast<int>(in_axes.size()))));
  napi_value outs;
  TRY(vector_to_js(env, out.v, &outs));
  return pair(env, outs, int_array(env, out_axes.data(), mlxc_vector_size(out.v)));
}

napi_value Compile(napi_env env, napi_callback_info info) {
  ARGS(2);
  mlxc_closure fn, out = nullptr;
  bool shapeless = false;
  TRY(get_ptr(env, argv[0], &fn));
  napi_get_value_bool(env, argv[1], &shapeless);
  TRY(ok(env, mlxc_compile(&out, fn, shapeless ? 1 : 0)));
  return from_ptr(env, out);
}

napi_value KernelCount(napi_env env, napi_callback_info info) {
  CORE_LOCK();
  return number(env, mlxc_kernel_count());
}

// fromData(bytes: Uint8Array, shape, dtype) -> handle
napi_value FromData(napi_env env, napi_callback_info info) {
  ARGS(3);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] fromData expects a Uint8Array.");
    return nullptr;
  }
  std::vector<int32_t> shape;
  double dtype;
  TRY(get_ints(env, argv[1], &shape));
  TRY(get_double(env, argv[2], &dtype));
  mlxc_array h = nullptr;
  TRY(ok(env, mlxc_array_new_empty(&h, shape.data(), static_cast<int>(shape.size()), to_int32(dtype))));
  if (length > 0) {
    size_t nbytes = mlxc_array_size(h) * dtype_size(mlxc_array_dtype(h));
    if (nbytes != length) {
      mlxc_array_free(h);
      napi_throw_range_error(env, nullptr, "[mlxjs-native] fromData: the byte count does not match the shape.");
      return nullptr;
    }
    std::memcpy(mlxc_array_data(h), data, length);
  }
  return from_ptr(env, h);
}

napi_value Scalar(napi_env env, napi_callback_info info) {
  ARGS(2);
  double value, dtype;
  TRY(get_double(env, argv[0], &value));
  TRY(get_double(env, argv[1], &dtype));
  mlxc_array h = nullptr;
  TRY(ok(env, mlxc_array_new_scalar(&h, value, to_int32(dtype))));
  return from_ptr(env, h);
}

napi_value Free(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h;
  TRY(get_ptr(env, argv[0], &h));
  TRY(ok(env, mlxc_array_free(h)));
  return undefined(env);
}

napi_value Retain(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h, out = nullptr;
  TRY(get_ptr(env, argv[0], &h));
  TRY(ok(env, mlxc_array_retain(&out, h)));
  return from_ptr(env, out);
}

napi_value Shape(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h;
  TRY(get_ptr(env, argv[0], &h));
  int ndim = mlxc_array_ndim(h);
  const int32_t* shape = mlxc_array_shape(h);
  if (ndim < 0 || (ndim > 0 && shape == nullptr)) {
    throw_core_error(env);
    return nullptr;
  }
  return int_array(env, shape, static_cast<size_t>(ndim));
}

napi_value DtypeOf(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h;
  TRY(get_ptr(env, argv[0], &h));
  return number(env, mlxc_array_dtype(h));
}

napi_value Size(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h;
  TRY(get_ptr(env, argv[0], &h));
  return number(env, static_cast<double>(mlxc_array_size(h)));
}

// read(h) -> a Uint8Array over a fresh ArrayBuffer holding the row-contiguous elements.
napi_value Read(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h, c = nullptr;
  TRY(get_ptr(env, argv[0], &h));
  TRY(ok(env, mlxc_array_contiguous(&c, h)));
  size_t nbytes = mlxc_array_size(c) * dtype_size(mlxc_array_dtype(c));
  void* dst = nullptr;
  napi_value buffer, view;
  if (napi_create_arraybuffer(env, nbytes, &dst, &buffer) != napi_ok) {
    mlxc_array_free(c);
    return nullptr;
  }
  if (nbytes > 0) std::memcpy(dst, mlxc_array_data(c), nbytes);
  mlxc_array_free(c);
  napi_create_typedarray(env, napi_uint8_array, nbytes, buffer, 0, &view);
  return view;
}

napi_value Eval(napi_env env, napi_callback_info info) {
  ARGS(1);
  std::vector<mlxc_array> hs;
  TRY(get_handles(env, argv[0], &hs));
  TRY(ok(env, mlxc_eval(hs.data(), static_cast<int>(hs.size()))));
  return undefined(env);
}

// evalBegin(handles) -> session; evalStep(session, budget) -> done; evalEnd(session).
napi_value EvalBegin(napi_env env, napi_callback_info info) {
  ARGS(1);
  std::vector<mlxc_array> hs;
  TRY(get_handles(env, argv[0], &hs));
  mlxc_eval_session session = nullptr;
  TRY(ok(env, mlxc_eval_begin(&session, hs.data(), static_cast<int>(hs.size()))));
  return from_ptr(env, session);
}

napi_value EvalStep(napi_env env, napi_callback_info info) {
  ARGS(2);
  mlxc_eval_session session;
  double budget;
  TRY(get_ptr(env, argv[0], &session));
  TRY(get_double(env, argv[1], &budget));
  int done = 0;
  TRY(ok(env, mlxc_eval_step(session, to_int32(budget), &done)));
  napi_value result;
  napi_get_boolean(env, done != 0, &result);
  return result;
}

napi_value EvalEnd(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_eval_session session;
  TRY(get_ptr(env, argv[0], &session));
  mlxc_eval_free(session);
  return undefined(env);
}

// evalAsync(handles) -> Promise<void>: the session begins here (capturing the arrays and
// checking we are not inside a transform), runs to completion on a worker thread under the
// core lock, and the promise settles on the JS thread: rejected with the core's
// "[op] message" when the eval failed.
struct AsyncEval {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  mlxc_eval_session session = nullptr;
  bool failed = false;
  std::string error;
};

void async_eval_execute(napi_env, void* data) {
  auto* job = static_cast<AsyncEval*>(data);
  std::lock_guard<std::recursive_mutex> lock(g_core);
  int done = 0;
  while (!done) {
    if (mlxc_eval_step(job->session, 1 << 30, &done) != 0) {
      job->failed = true;
      const char* msg = mlxc_last_error();
      job->error = (msg && *msg) ? msg : "[async_eval] The evaluation failed without a message.";
      mlxc_clear_error();
      return;
    }
  }
}

void async_eval_complete(napi_env env, napi_status status, void* data) {
  auto* job = static_cast<AsyncEval*>(data);
  {
    CORE_LOCK();
    mlxc_eval_free(job->session);
    drain_releases(env);
  }
  napi_value result;
  if (job->failed || status != napi_ok) {
    napi_value msg;
    const std::string& text = job->failed ? job->error : std::string("[async_eval] The evaluation was cancelled.");
    napi_create_string_utf8(env, text.c_str(), text.size(), &msg);
    napi_create_error(env, nullptr, msg, &result);
    napi_reject_deferred(env, job->deferred, result);
  } else {
    napi_get_undefined(env, &result);
    napi_resolve_deferred(env, job->deferred, result);
  }
  napi_delete_async_work(env, job->work);
  delete job;
}

napi_value EvalAsync(napi_env env, napi_callback_info info) {
  mlxc_eval_session session = nullptr;
  {
    ARGS(1);
    std::vector<mlxc_array> hs;
    TRY(get_handles(env, argv[0], &hs));
    TRY(ok(env, mlxc_eval_begin(&session, hs.data(), static_cast<int>(hs.size()))));
  }
  auto* job = new AsyncEval();
  job->session = session;
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "mlxjs.asyncEval", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, nullptr, name, async_eval_execute, async_eval_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

napi_value ClosureNew(napi_env env, napi_callback_info info) {
  ARGS(1);
  double id;
  TRY(get_double(env, argv[0], &id));
  mlxc_closure c = nullptr;
  TRY(ok(env, mlxc_closure_new(&c, static_cast<uint32_t>(to_int32(id)))));
  return from_ptr(env, c);
}

napi_value ClosureFree(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_closure c;
  TRY(get_ptr(env, argv[0], &c));
  TRY(ok(env, mlxc_closure_free(c)));
  return undefined(env);
}

napi_value MemoryStats(napi_env env, napi_callback_info info) {
  NO_ARGS();
  double s[5] = {0, 0, 0, 0, 0};
  TRY(ok(env, mlxc_memory_stats(s)));
  napi_value arr;
  napi_create_array_with_length(env, 5, &arr);
  for (uint32_t i = 0; i < 5; i++) napi_set_element(env, arr, i, number(env, s[i]));
  return arr;
}

template <int (*F)(double)>
napi_value SetDouble(napi_env env, napi_callback_info info) {
  ARGS(1);
  double v;
  TRY(get_double(env, argv[0], &v));
  TRY(ok(env, F(v)));
  return undefined(env);
}

template <int (*F)(void)>
napi_value NoArgs(napi_env env, napi_callback_info info) {
  NO_ARGS();
  TRY(ok(env, F()));
  return undefined(env);
}

// metalStatus() -> true | "reason": whether this addon can run the `metal` backend.
napi_value MetalStatus(napi_env env, napi_callback_info info) {
  napi_value v;
  if (g_metal_unavailable.empty()) {
    napi_get_boolean(env, true, &v);
  } else {
    napi_create_string_utf8(env, g_metal_unavailable.c_str(), g_metal_unavailable.size(), &v);
  }
  return v;
}

// setDevice("metal" | "cpu"): where the next evaluations run (memory is shared either way).
napi_value SetDevice(napi_env env, napi_callback_info info) {
  ARGS(1);
  char name[16] = {0};
  size_t len = 0;
  napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len);
  bool metal = std::strcmp(name, "metal") == 0;
  if (metal && !g_metal_unavailable.empty()) {
    napi_throw_error(env, nullptr, ("[mlxjs-native] Metal is not available: " + g_metal_unavailable + ".").c_str());
    return nullptr;
  }
#ifdef MLX_METAL
  try {
    if (g_metal_unavailable.empty()) mlx::metal::set_enabled(metal);
  } catch (const std::exception& e) {  // the work still pending on the GPU failed
    napi_throw_error(env, nullptr, e.what());
    return nullptr;
  }
#endif
  return undefined(env);
}

// Threads: setNumThreads(n) (validated by the caller) and [threads, running workers].
napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  ARGS(1);
  double v;
  TRY(get_double(env, argv[0], &v));
  if (mlxc_set_num_threads(static_cast<int>(v)) != 0) {
    napi_throw_error(env, nullptr, "[setNumThreads] The core could not start its threads.");
    return nullptr;
  }
  return undefined(env);
}

napi_value ThreadCounts(napi_env env, napi_callback_info info) {
  NO_ARGS();
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, number(env, mlxc_get_num_threads()));
  napi_set_element(env, arr, 1, number(env, mlxc_running_workers()));
  return arr;
}

void cleanup(void*) {
  // The environment is going away: the core must not call into it any more.
  mlxc_set_host_callbacks(nullptr, nullptr);
  g_env = nullptr;
  g_host_call = nullptr;
  g_host_release = nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  // One core per process, one JS host for it: the first environment to load the addon.
  if (g_env != nullptr) {
    napi_throw_error(env, nullptr, "[mlxjs-native] The native core is already loaded by another thread of this process.");
    return nullptr;
  }
  g_env = env;
  g_main_thread = std::this_thread::get_id();
#ifdef MLX_METAL
  // Before the core allocates anything: the allocator's memory becomes MTLBuffers.
  {
    std::string why;
    if (mlx::metal::init(&why)) {
      g_metal_unavailable.clear();
      mlx::metal::set_enabled(false);  // the TypeScript side picks the device (setDevice)
    } else {
      g_metal_unavailable = why;
    }
  }
#endif
  mlxc_set_host_callbacks(host_call, host_release);
  napi_add_env_cleanup_hook(env, cleanup, nullptr);

  const napi_property_descriptor props[] = {
#define FN(name, fn) {name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr}
      FN("setHost", SetHost),
      FN("clearError", ClearError),
      FN("opCount", OpCount),
      FN("opName", OpName),
      FN("opSchema", OpSchema),
      FN("opId", OpId),
      FN("op", Op),
      FN("vjp", Vjp),
      FN("jvp", Jvp),
      FN("valueAndGrad", ValueAndGrad),
      FN("customFunction", CustomFunction),
      FN("checkpoint", Checkpoint),
      FN("vmap", Vmap),
      FN("compile", Compile),
      FN("kernelCount", KernelCount),
      FN("fromData", FromData),
      FN("scalar", Scalar),
      FN("free", Free),
      FN("retain", Retain),
      FN("shape", Shape),
      FN("dtype", DtypeOf),
      FN("size", Size),
      FN("read", Read),
      FN("eval", Eval),
      FN("evalBegin", EvalBegin),
      FN("evalStep", EvalStep),
      FN("evalEnd", EvalEnd),
      FN("evalAsync", EvalAsync),
      FN("metalStatus", MetalStatus),
      FN("setDevice", SetDevice),
      FN("closureNew", ClosureNew),
      FN("closureApply", ClosureApply),
      FN("closureFree", ClosureFree),
      FN("memoryStats", MemoryStats),
      FN("setMemoryLimit", SetDouble<mlxc_set_memory_limit>),
      FN("setCacheLimit", SetDouble<mlxc_set_cache_limit>),
      FN("clearCache", NoArgs<mlxc_clear_cache>),
      FN("resetPeakMemory", NoArgs<mlxc_reset_peak_memory>),
      FN("setNumThreads", SetNumThreads),
      FN("threadCounts", ThreadCounts),
#undef FN
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

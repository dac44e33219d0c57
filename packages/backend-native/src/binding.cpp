// The Node-API face of the mlxc C ABI (core-cpp/include/mlxc.h, mlxc_threads.h).
//
// Every mlxc_* function is registered under its C name by one template (Export below) that
// reads its signature: numbers become int/uint32/size_t/double arguments, handle types
// (mlxc_array, mlxc_vector, mlxc_closure, mlxc_eval_session) are pointers carried in a
// double (user-space addresses fit in 48 bits, which a double holds exactly), and every
// other pointer is an offset into the core's scratch area, which JS sees as an ArrayBuffer
// (scratch()). So the addon takes exactly the arguments the wasm module's exports take,
// and one TypeScript client (packages/core/src/client) drives both. The list of functions
// is generated from mlxc.h (scripts/abi-exports.cjs -> build/gen/mlxc_exports.inc), so a
// new C function needs nothing here.
//
// What only a native host has is written by hand below: the host callbacks, copying array
// bytes, asyncEval on a libuv worker, and the device (Metal on macOS).
//
// Closures: the core calls the host's C callbacks (mlxc_set_host_callbacks) only while a
// synchronous call from JS is running, on that same thread, so the callbacks call the JS
// functions registered with setHost() directly. A release arriving on any other thread is
// queued and delivered at the next call from JS.
//
// Threads: evalAsync runs the core's eval on a libuv worker thread (napi_async_work). The
// core is not thread-safe, so every entry point takes one core-wide (recursive: host
// callbacks re-enter from the JS thread) mutex, and the worker holds it for the whole
// eval: a core call from JS made meanwhile waits until the eval finishes. The eval itself
// never calls host closures (no primitive's eval_cpu does: closures run only while
// tracing, i.e. in synchronous calls from JS), and host_call refuses any other thread
// anyway; a closure released by the worker is queued for the JS thread.
#include <node_api.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mlxc.h"
#include "mlxc_threads.h"

#ifdef MLX_METAL
#include "metal_backend.h"  // core-cpp/src/metal (macOS builds only)
#endif

namespace {

napi_env g_env = nullptr;
napi_ref g_host_call = nullptr;
napi_ref g_host_release = nullptr;
napi_ref g_scratch_buffer = nullptr;
unsigned char* g_scratch = nullptr;
std::thread::id g_main_thread;
std::mutex g_queue_mutex;
std::vector<uint32_t> g_queued_releases;
std::atomic<bool> g_has_queued{false};
std::recursive_mutex g_core;
// Metal (macOS builds): empty when the device and the kernel library are ready, else why not.
std::string g_metal_unavailable = "the native addon was built without Metal (Metal builds are macOS only)";

size_t dtype_size(int code) {
  switch (code) {
    case MLXC_BOOL: case MLXC_UINT8: case MLXC_INT8: return 1;
    case MLXC_UINT16: case MLXC_INT16: case MLXC_FLOAT16: case MLXC_BFLOAT16: return 2;
    case MLXC_UINT32: case MLXC_INT32: case MLXC_FLOAT32: return 4;
    default: return 8;
  }
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

bool get_double(napi_env env, napi_value v, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Expected a number.");
    return false;
  }
  return true;
}

// JS's ToInt32 (what storing into an Int32Array does, and what a wasm i32 parameter gets):
// truncate, wrap modulo 2^32; NaN and infinities become 0. A plain cast of an out-of-range
// double would be undefined behaviour.
int32_t to_int32(double d) {
  if (d >= -2147483648.0 && d <= 2147483647.0) return static_cast<int32_t>(d);  // the usual case
  if (!std::isfinite(d)) return 0;
  double m = std::fmod(std::trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

template <typename T>
T handle_from(double d) {
  return reinterpret_cast<T>(static_cast<uintptr_t>(d));
}

template <typename T>
bool get_handle(napi_env env, napi_value v, T* out) {
  double d;
  if (!get_double(env, v, &d)) return false;
  *out = handle_from<T>(d);
  return true;
}

// ---- generic registration of the C ABI ----------------------------------------------------

template <typename T>
struct is_handle : std::false_type {};
template <>
struct is_handle<mlxc_array> : std::true_type {};
template <>
struct is_handle<mlxc_vector> : std::true_type {};
template <>
struct is_handle<mlxc_closure> : std::true_type {};
template <>
struct is_handle<mlxc_eval_session> : std::true_type {};

// One argument from JS, converted as its C type says.
template <typename T>
bool from_js(napi_env env, napi_value v, T* out) {
  double d;
  if (!get_double(env, v, &d)) return false;
  if constexpr (is_handle<T>::value) {
    *out = handle_from<T>(d);
  } else if constexpr (std::is_pointer_v<T>) {
    // An offset into the scratch area (the client computes every pointer it passes that way).
    if (!(d >= 0 && d < MLXC_SCRATCH_BYTES)) {
      napi_throw_range_error(env, nullptr, "[mlxjs-native] A pointer argument lies outside the scratch area.");
      return false;
    }
    *out = reinterpret_cast<T>(g_scratch + static_cast<size_t>(d));
  } else if constexpr (std::is_floating_point_v<T>) {
    *out = static_cast<T>(d);
  } else if constexpr (std::is_integral_v<T> && sizeof(T) <= 4) {
    *out = static_cast<T>(to_int32(d));
  } else {  // size_t
    *out = d > 0 ? static_cast<T>(d) : T(0);
  }
  return true;
}

// A result to JS: a C string becomes a string, everything else a number.
template <typename R>
napi_value to_js(napi_env env, R r) {
  if constexpr (std::is_same_v<R, const char*>) {
    napi_value s;
    napi_create_string_utf8(env, r ? r : "", NAPI_AUTO_LENGTH, &s);
    return s;
  } else if constexpr (std::is_pointer_v<R>) {
    return number(env, static_cast<double>(reinterpret_cast<uintptr_t>(r)));
  } else if constexpr (std::is_same_v<R, int>) {
    napi_value v;
    napi_create_int32(env, r, &v);
    return v;
  } else {
    return number(env, static_cast<double>(r));
  }
}

void drain_releases(napi_env env);

#define CORE_LOCK() std::lock_guard<std::recursive_mutex> core_lock(g_core)

template <auto F>
struct Export;

template <typename R, typename... A, R (*F)(A...)>
struct Export<F> {
  // env and argv are unused for a function without arguments (an empty fold).
  template <size_t... I>
  static bool read([[maybe_unused]] napi_env env, [[maybe_unused]] napi_value* argv, std::tuple<A...>& args,
                   std::index_sequence<I...>) {
    return (from_js(env, argv[I], &std::get<I>(args)) && ...);
  }

  static napi_value call(napi_env env, napi_callback_info info) {
    constexpr size_t n = sizeof...(A);
    napi_value argv[n > 0 ? n : 1];
    size_t argc = n;
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (argc < n) {
      napi_throw_type_error(env, nullptr, "[mlxjs-native] Too few arguments.");
      return nullptr;
    }
    std::tuple<A...> args{};
    if (!read(env, argv, args, std::index_sequence_for<A...>{})) return nullptr;
    CORE_LOCK();
    drain_releases(env);
    if constexpr (std::is_void_v<R>) {
      std::apply(F, args);
      return undefined(env);
    } else {
      return to_js(env, std::apply(F, args));
    }
  }
};

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

// Runs JS hostCall(id, inputs, outputs) -> status: the client (CoreClient.hostCall) reads
// the input vector and appends to the output vector through the C ABI, keeping the Error
// of a failing host function to rethrow.
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  napi_env env = g_env;
  if (env == nullptr || g_host_call == nullptr || std::this_thread::get_id() != g_main_thread) return 1;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int status = 1;
  napi_value fn, global, args[3], result;
  napi_get_reference_value(env, g_host_call, &fn);
  napi_get_global(env, &global);
  args[0] = number(env, id);
  args[1] = to_js(env, inputs);
  args[2] = to_js(env, outputs);
  double d = 1;
  if (napi_call_function(env, global, fn, 3, args, &result) == napi_ok &&
      napi_get_value_double(env, result, &d) == napi_ok) {
    status = d == 0 ? 0 : 1;
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

// ---- what only a native host has -----------------------------------------------------------

#define ARGS(n)                                                               \
  CORE_LOCK();                                                                \
  size_t argc = n;                                                            \
  napi_value argv[n];                                                         \
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);                 \
  if (argc < (n)) {                                                           \
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Too few arguments."); \
    return nullptr;                                                           \
  }                                                                           \
  drain_releases(env)

#define TRY(x) \
  if (!(x)) return nullptr

// setHost(call, release)
napi_value SetHost(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (g_host_call) napi_delete_reference(env, g_host_call);
  if (g_host_release) napi_delete_reference(env, g_host_release);
  napi_create_reference(env, argv[0], 1, &g_host_call);
  napi_create_reference(env, argv[1], 1, &g_host_release);
  return undefined(env);
}

// scratch() -> the one ArrayBuffer over the core's scratch area (V8 allows one external
// buffer per memory block, so it is made once and kept).
napi_value Scratch(napi_env env, napi_callback_info info) {
  CORE_LOCK();
  napi_value buffer;
  if (g_scratch_buffer != nullptr) {
    napi_get_reference_value(env, g_scratch_buffer, &buffer);
    return buffer;
  }
  if (napi_create_external_arraybuffer(env, g_scratch, MLXC_SCRATCH_BYTES, nullptr, nullptr, &buffer) != napi_ok) {
    napi_throw_error(env, nullptr, "[mlxjs-native] Cannot make the scratch area an ArrayBuffer.");
    return nullptr;
  }
  napi_create_reference(env, buffer, 1, &g_scratch_buffer);
  return buffer;
}

// The bytes of an evaluated array, or null (with a JS error pending).
unsigned char* array_bytes(napi_env env, mlxc_array h, size_t* nbytes) {
  void* data = mlxc_array_data(h);
  if (data == nullptr) {
    napi_throw_error(env, nullptr, "[mlxjs-native] The array is not evaluated.");
    return nullptr;
  }
  *nbytes = mlxc_array_size(h) * dtype_size(mlxc_array_dtype(h));
  return static_cast<unsigned char*>(data);
}

// arrayRead(h) -> a Uint8Array over a fresh ArrayBuffer holding the elements.
napi_value ArrayRead(napi_env env, napi_callback_info info) {
  ARGS(1);
  mlxc_array h;
  TRY(get_handle(env, argv[0], &h));
  size_t nbytes = 0;
  unsigned char* src = array_bytes(env, h, &nbytes);
  TRY(src);
  void* dst = nullptr;
  napi_value buffer, view;
  TRY(napi_create_arraybuffer(env, nbytes, &dst, &buffer) == napi_ok);
  if (nbytes > 0) std::memcpy(dst, src, nbytes);
  napi_create_typedarray(env, napi_uint8_array, nbytes, buffer, 0, &view);
  return view;
}

// arrayWrite(h, bytes: Uint8Array[, byteOffset]): without an offset, exactly the array's byte
// size; with one, `bytes` lands at that offset and must fit inside the array (mx.load fills a
// large array in bounded chunks this way, never holding the whole of it in JS memory).
napi_value ArrayWrite(napi_env env, napi_callback_info info) {
  CORE_LOCK();
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 2) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] Too few arguments.");
    return nullptr;
  }
  drain_releases(env);
  mlxc_array h;
  TRY(get_handle(env, argv[0], &h));
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, nullptr, "[mlxjs-native] arrayWrite expects a Uint8Array.");
    return nullptr;
  }
  bool has_offset = false;
  double offset = 0;
  if (argc >= 3) {
    napi_valuetype t;
    napi_typeof(env, argv[2], &t);
    if (t != napi_undefined) {
      if (t != napi_number || napi_get_value_double(env, argv[2], &offset) != napi_ok || !(offset >= 0) ||
          offset != static_cast<double>(static_cast<uint64_t>(offset))) {
        napi_throw_type_error(env, nullptr, "[mlxjs-native] arrayWrite's byte offset must be a non-negative integer.");
        return nullptr;
      }
      has_offset = true;
    }
  }
  size_t nbytes = 0;
  unsigned char* dst = array_bytes(env, h, &nbytes);
  TRY(dst);
  const size_t at = static_cast<size_t>(offset);
  if (has_offset ? (at > nbytes || length > nbytes - at) : nbytes != length) {
    napi_throw_range_error(env, nullptr, "[mlxjs-native] The byte count does not match the array's size.");
    return nullptr;
  }
  if (length > 0) std::memcpy(dst + at, data, length);
  return undefined(env);
}

// evalAsync(session) -> Promise<void>: the session (begun by mlxc_eval_begin on the JS
// thread, which captured the arrays and refused inside a transform) runs to completion on a
// worker thread under the core lock; the promise settles on the JS thread, rejected with the
// core's "[op] message" when the eval failed. The caller frees the session afterwards.
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
  if (mlxc_eval_run(job->session) != 0) {
    job->failed = true;
    const char* msg = mlxc_last_error();
    job->error = (msg && *msg) ? msg : "[async_eval] The evaluation failed without a message.";
    mlxc_clear_error();
  }
}

void async_eval_complete(napi_env env, napi_status status, void* data) {
  auto* job = static_cast<AsyncEval*>(data);
  {
    CORE_LOCK();
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
    TRY(get_handle(env, argv[0], &session));
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

void cleanup(void*) {
  // The environment is going away: the core must not call into it any more.
  mlxc_set_host_callbacks(nullptr, nullptr);
  g_env = nullptr;
  g_host_call = nullptr;
  g_host_release = nullptr;
  g_scratch_buffer = nullptr;
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
  g_scratch = static_cast<unsigned char*>(mlxc_scratch());
#ifdef MLX_METAL
  // Before the core allocates anything: the allocator's memory becomes MTLBuffers.
  {
    std::string why;
    if (mlx::metal::init(&why)) {
      g_metal_unavailable.clear();
      mlx::metal::set_enabled(false);  // the registry selects the device (NativeBackend.activate)
    } else {
      g_metal_unavailable = why;
    }
  }
#endif
  mlxc_set_host_callbacks(host_call, host_release);
  napi_add_env_cleanup_hook(env, cleanup, nullptr);

#define FN(name, fn) {name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr},
#define MLXC_FN(name) FN(#name, Export<&name>::call)
  const napi_property_descriptor props[] = {
#include "mlxc_exports.inc"  // MLXC_FN(mlxc_...) for every function of mlxc.h and mlxc_threads.h
      FN("setHost", SetHost)
      FN("scratch", Scratch)
      FN("arrayRead", ArrayRead)
      FN("arrayWrite", ArrayWrite)
      FN("evalAsync", EvalAsync)
      FN("metalStatus", MetalStatus)
      FN("setDevice", SetDevice)
  };
#undef MLXC_FN
#undef FN
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

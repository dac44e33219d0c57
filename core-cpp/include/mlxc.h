/*
 * mlxc.h: the one flat C ABI of the mlxjs core.
 *
 * The same header serves the wasm module (functions exported by name) and the native
 * addon (functions linked directly). Conventions:
 *
 *  - Handles are opaque pointers (32-bit in wasm, 64-bit natively). Every handle returned through an out-parameter is owned
 *    by the caller and released with the matching *_free function. Handles are refcounted
 *    views of core objects: freeing a handle never invalidates another handle.
 *  - Every function that can fail returns a status: 0 on success, non-zero on failure.
 *    The failure's message ("[op_name] message", as MLX words it) is then available from
 *    mlxc_last_error() until the next failing call. No C++ exception crosses this ABI.
 *  - Ops are reached through one entry point, mlxc_op, by an id looked up from the op's
 *    name: the ABI (and the TypeScript Backend over it) stays small as the op set grows.
 *  - Shapes and axes are int32 arrays with an explicit count.
 *
 * Closures: the host (JavaScript) owns user functions and names each with a uint32 id.
 * mlxc_closure_new wraps an id in a core closure object. When the core runs the closure it
 * calls the host's `call` callback with a vector of input arrays and an empty vector to
 * fill with outputs; when the last reference to the closure (a handle or a graph node)
 * goes away the core calls the host's `release` callback with the id. In the wasm build
 * these two callbacks are the imports env.mlxc_host_call / env.mlxc_host_release; a
 * native host registers function pointers with mlxc_set_host_callbacks.
 */
#ifndef MLXC_H
#define MLXC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__EMSCRIPTEN__) || defined(__wasm__)
#define MLXC_API __attribute__((visibility("default"), used))
#else
#define MLXC_API __attribute__((visibility("default")))
#endif

typedef struct mlxc_array_s* mlxc_array;
typedef struct mlxc_vector_s* mlxc_vector;
typedef struct mlxc_closure_s* mlxc_closure;

/* Dtype codes (stable; TypeScript mirrors them). */
typedef enum {
  MLXC_BOOL = 0,
  MLXC_UINT8 = 1,
  MLXC_UINT16 = 2,
  MLXC_UINT32 = 3,
  MLXC_UINT64 = 4,
  MLXC_INT8 = 5,
  MLXC_INT16 = 6,
  MLXC_INT32 = 7,
  MLXC_INT64 = 8,
  MLXC_FLOAT16 = 9,
  MLXC_FLOAT32 = 10,
  MLXC_FLOAT64 = 11,
  MLXC_BFLOAT16 = 12,
  MLXC_COMPLEX64 = 13, /* two float32s, real then imaginary */
} mlxc_dtype;

/* ---- errors ---------------------------------------------------------------------- */
/* The message of the last failed call (empty when none). Valid until the next failure. */
MLXC_API const char* mlxc_last_error(void);
MLXC_API void mlxc_clear_error(void);

/* ---- arrays ---------------------------------------------------------------------- */
MLXC_API int mlxc_array_free(mlxc_array a);
/* A second handle to the same array. */
MLXC_API int mlxc_array_retain(mlxc_array* out, mlxc_array a);
/* An evaluated, row-contiguous array of the given shape whose bytes the caller fills
 * through mlxc_array_data (the fast path for host data: one copy). */
MLXC_API int mlxc_array_new_empty(mlxc_array* out, const int32_t* shape, int ndim, int dtype);
/* A 0-d array holding `value` converted to `dtype`. */
MLXC_API int mlxc_array_new_scalar(mlxc_array* out, double value, int dtype);
MLXC_API int mlxc_array_ndim(mlxc_array a);
/* Copies the shape (ndim int32 values) to `out`, which has room for `max_ndim`; returns
 * ndim, or -1 for an invalid handle or too little room. */
MLXC_API int mlxc_array_shape(int32_t* out, int max_ndim, mlxc_array a);
MLXC_API int mlxc_array_dtype(mlxc_array a);
MLXC_API size_t mlxc_array_size(mlxc_array a);
MLXC_API int mlxc_array_is_evaluated(mlxc_array a);
/* Evaluates `a` and returns an evaluated row-contiguous array with the same values
 * (the same array when it already is one), ready for mlxc_array_data. */
MLXC_API int mlxc_array_contiguous(mlxc_array* out, mlxc_array a);
/* The first byte of an evaluated array's elements (NULL when not evaluated). */
MLXC_API void* mlxc_array_data(mlxc_array a);
/* A small identity for the array (equal for handles of the same array). */
MLXC_API uintptr_t mlxc_array_id(mlxc_array a);

/* ---- vectors of arrays --------------------------------------------------------------- */
MLXC_API int mlxc_vector_new(mlxc_vector* out);
MLXC_API int mlxc_vector_free(mlxc_vector v);
MLXC_API int mlxc_vector_append(mlxc_vector v, mlxc_array a);
MLXC_API size_t mlxc_vector_size(mlxc_vector v);
/* A new handle to element i. */
MLXC_API int mlxc_vector_get(mlxc_array* out, mlxc_vector v, size_t i);

/* ---- closures ---------------------------------------------------------------------- */
typedef int (*mlxc_host_call_fn)(uint32_t id, mlxc_vector inputs, mlxc_vector outputs);
typedef void (*mlxc_host_release_fn)(uint32_t id);
/* Native hosts only (the wasm build imports the callbacks instead). */
MLXC_API void mlxc_set_host_callbacks(mlxc_host_call_fn call, mlxc_host_release_fn release);
MLXC_API int mlxc_closure_new(mlxc_closure* out, uint32_t host_id);
MLXC_API int mlxc_closure_free(mlxc_closure c);
/* Runs the closure on `inputs`; `*out` receives a new vector of its outputs. */
MLXC_API int mlxc_closure_apply(mlxc_vector* out, mlxc_closure c, mlxc_vector inputs);

/* ---- evaluation and memory --------------------------------------------------------- */
MLXC_API int mlxc_eval(const mlxc_array* arrays, int n);
/* Incremental evaluation (for async_eval): begin, then step until *done is 1, then free.
 * Each step evaluates at most `budget` nodes, so the host can yield in between. Beginning
 * one while a transform is tracing is an error. */
typedef struct mlxc_eval_session_s* mlxc_eval_session;
MLXC_API int mlxc_eval_begin(mlxc_eval_session* out, const mlxc_array* arrays, int n);
MLXC_API int mlxc_eval_step(mlxc_eval_session s, int budget, int* done);
MLXC_API int mlxc_eval_free(mlxc_eval_session s);
/* Evaluates everything a session has left, at once (what the async-eval thread runs). */
MLXC_API int mlxc_eval_run(mlxc_eval_session s);
/* Writes 5 values: active bytes, peak bytes, cache bytes, live arrays, memory limit. */
MLXC_API int mlxc_memory_stats(double* out5);
MLXC_API int mlxc_set_memory_limit(double bytes);
MLXC_API int mlxc_set_cache_limit(double bytes);
MLXC_API int mlxc_clear_cache(void);
MLXC_API int mlxc_reset_peak_memory(void);

/* ---- scratch --------------------------------------------------------------------- */
/* A static 16-byte-aligned area of MLXC_SCRATCH_BYTES through which hosts pass shapes,
 * handle lists and out-parameters without a malloc per call: the wasm host writes it in
 * linear memory, the native addon shows it to JS as an ArrayBuffer and turns each pointer
 * argument (an offset into the area) into an address. */
#define MLXC_SCRATCH_BYTES 16384
MLXC_API void* mlxc_scratch(void);

/* ---- ops --------------------------------------------------------------------------- */
/* Every op is registered in the core under its MLX name ("add", "sum", "reshape", ...)
 * and has an id for the lifetime of the module; hosts look ids up once by name. */
MLXC_API int mlxc_op_count(void);
MLXC_API const char* mlxc_op_name(int id);         /* NULL for an unknown id */
MLXC_API int mlxc_op_id(const char* name);         /* -1 for an unknown name */
/* The op's parameter schema, the one definition of its scalar parameters (NULL for an
 * unknown id): space-separated `name:kind` in order, kinds int, bool, dtype, real, int[],
 * enum(a|b|...), a trailing `?` marking an optional one; "" when it takes none. E.g.
 * "axes:int[]? keepdims:bool" (sum), "pad_width:int[] mode:enum(constant|edge)" (pad). */
MLXC_API const char* mlxc_op_schema(int id);
/* Runs op `id` on `inputs` with its scalar parameters encoded in schema order: `ints` takes
 * int, bool (0/1), dtype (its code) and enum (the name's index) as one int32 each and int[]
 * as a count followed by the values; `reals` takes each real as a double; an optional
 * parameter is preceded in `ints` by 0 (not given, no value follows) or 1.
 * Writes the number of outputs to *n_outputs and, when it is at most `max_outputs`, new
 * handles to them to `outputs`; otherwise *spill receives a new vector holding them all
 * (so an op may have any number of outputs). */
MLXC_API int mlxc_op(mlxc_array* outputs, int max_outputs, int* n_outputs, mlxc_vector* spill, int id,
                     const mlxc_array* inputs, int n_inputs, const int32_t* ints, int n_ints, const double* reals,
                     int n_reals);
/* mlxc_op with its inputs in a vector (any number of them); *outputs receives a new vector. */
MLXC_API int mlxc_op_vector(mlxc_vector* outputs, int id, mlxc_vector inputs, const int32_t* ints, int n_ints,
                            const double* reals, int n_reals);

/* ---- transforms ------------------------------------------------------------------------ */
/* Reverse mode: runs `fn` on `primals`; *outputs receives fn's outputs and *vjps the
 * cotangents of the primals given one cotangent per (non-stop-gradient) output. */
MLXC_API int mlxc_vjp(mlxc_vector* outputs, mlxc_vector* vjps, mlxc_closure fn, mlxc_vector primals,
                      mlxc_vector cotangents);
/* Forward mode: one tangent per primal; *jvps receives the tangent of each output. */
MLXC_API int mlxc_jvp(mlxc_vector* outputs, mlxc_vector* jvps, mlxc_closure fn, mlxc_vector primals,
                      mlxc_vector tangents);
/* fn's first output must be a scalar; the others are returned as they are (no gradient). */
MLXC_API int mlxc_value_and_grad(mlxc_vector* values, mlxc_vector* grads, mlxc_closure fn,
                                 mlxc_vector primals);
/* Vectorises `fn` over `inputs` along `in_axes` (one per input; -1: not mapped) and runs
 * it: *outputs receives the outputs and out_axes[i] the axis of output i's batch dimension
 * (-1: output i does not depend on a mapped input and is returned unbatched). */
MLXC_API int mlxc_vmap(mlxc_vector* outputs, int32_t* out_axes, int max_outputs, mlxc_closure fn, mlxc_vector inputs,
                       const int32_t* in_axes, int n_in_axes);
/* *out receives a closure computing fn compiled: traced once per input signature (shapes
 * and dtypes; with shapeless, ndims and dtypes), simplified, element-wise chains fused,
 * then replayed. Apply it with mlxc_closure_apply. */
MLXC_API int mlxc_compile(mlxc_closure* out, mlxc_closure fn, int shapeless);
/* The number of primitives evaluated so far (a diagnostic for tests of fusion). */
MLXC_API double mlxc_kernel_count(void);
/* Applies a custom function: *outputs receives fn(args). `vjp` (may be NULL) is called
 * with primals ++ cotangents ++ outputs and returns one cotangent per primal; `jvp` (may be
 * NULL) with primals ++ tangents (one per primal) and returns one tangent per output; `vmap`
 * (may be NULL) with the batched args ++ an int32 array of their batch axes (-1: not
 * batched) and returns the outputs ++ an int32 array of their batch axes. A NULL rule falls
 * back to transforming fn itself. The core keeps the closures while graphs use them. */
MLXC_API int mlxc_custom_function(mlxc_vector* outputs, mlxc_closure fn, mlxc_closure vjp, mlxc_closure jvp,
                                  mlxc_closure vmap, mlxc_vector args);
/* *outputs receives fn(args); differentiating them recomputes fn instead of keeping its
 * intermediates. */
MLXC_API int mlxc_checkpoint(mlxc_vector* outputs, mlxc_closure fn, mlxc_vector args);

#ifdef __cplusplus
}
#endif

#endif /* MLXC_H */

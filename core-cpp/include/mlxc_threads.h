/*
 * mlxc_threads.h: the thread pool's part of the C ABI (see mlxc.h for the conventions).
 * Kernels split large work (matmul, element-wise ops, reductions) over the pool with
 * parallel_for. Natively the pool starts std::threads itself. The wasm threads build
 * (mlxjs-core-mt.wasm, shared memory) leaves starting workers to the host: per worker the
 * host calls mlxc_worker_prepare on the main thread, instantiates the same module on the
 * same memory in a Web Worker (Node: worker_threads), sets that instance's stack pointer to
 * the returned stack top (the module's stackRestore export) and calls mlxc_worker_main,
 * which never returns. Static constructors and data initialisation must not run again in
 * a worker instance (the module's start function initialises memory only once).
 */
#ifndef MLXC_THREADS_H
#define MLXC_THREADS_H

#include "mlxc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets the number of threads kernels use, the caller included (1..64). Status 1 outside
 * that range. */
MLXC_API int mlxc_set_num_threads(int n);
/* The number set (default: min(hardware threads, 4) natively, 1 in wasm). */
MLXC_API int mlxc_get_num_threads(void);
/* Workers running now (wasm: those that entered mlxc_worker_main). */
MLXC_API int mlxc_running_workers(void);
/* Wasm threads build: allocates worker `id`'s stack (0-based ids); writes its top and
 * limit to out2[0], out2[1]. Status 1 in other builds. */
MLXC_API int mlxc_worker_prepare(int id, uint32_t* out2);
/* Wasm threads build: worker `id`'s loop (never returns there; returns at once elsewhere). */
MLXC_API void mlxc_worker_main(int id);
/* Wasm threads build: the async-eval thread, a host-started thread like a worker that runs
 * mlxc_eval_run on sessions the main thread begins (the host keeps the main thread out of
 * the core meanwhile). prepare (main thread) allocates its stack and writes the top and
 * limit to out2 (status 1 in other builds); enter (on that thread, after the host set its
 * stack pointer to the top) initialises its thread-local storage and returns. */
MLXC_API int mlxc_eval_thread_prepare(uint32_t* out2);
MLXC_API void mlxc_eval_thread_enter(void);

#ifdef __cplusplus
}
#endif

#endif

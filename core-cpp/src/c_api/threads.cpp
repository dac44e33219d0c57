// The thread pool's C ABI (include/mlxc_threads.h).
#include "mlxc_threads.h"

#include <exception>

#include "../threading/host_thread.h"
#include "../threading/pool.h"

using namespace mlx;

namespace {
// The async-eval thread's stack: graph evaluation is iterative, but a kernel may need more
// than a pool worker's chunk does.
constexpr size_t kEvalThreadStack = 4 << 20;
threading::HostThread g_eval_thread;
}  // namespace

int mlxc_set_num_threads(int n) {
  if (n < 1 || n > threading::kMaxThreads) return 1;
  try {
    threading::set_num_threads(n);  // natively starts threads, which can fail
    return 0;
  } catch (const std::exception&) {
    return 1;
  }
}

int mlxc_get_num_threads(void) { return threading::num_threads(); }

int mlxc_running_workers(void) { return threading::running_workers(); }

int mlxc_worker_prepare(int id, uint32_t* out2) {
  try {
    threading::prepare_worker(id, &out2[0], &out2[1]);
    return 0;
  } catch (const std::exception&) {
    return 1;
  }
}

void mlxc_worker_main(int id) { threading::worker_main(id); }

int mlxc_eval_thread_prepare(uint32_t* out2) {
  try {
    threading::allocate_host_thread(g_eval_thread, kEvalThreadStack, threading::Identity::kMain);
    out2[0] = g_eval_thread.stack_top;
    out2[1] = g_eval_thread.stack_limit;
    return 0;
  } catch (const std::exception&) {
    return 1;
  }
}

void mlxc_eval_thread_enter(void) {
  if (g_eval_thread.stack_top != 0) threading::enter_host_thread(g_eval_thread);
}

// The thread pool's C ABI (include/mlxc_threads.h).
#include "mlxc_threads.h"

#include <exception>

#include "../threading/pool.h"

using namespace mlx;

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

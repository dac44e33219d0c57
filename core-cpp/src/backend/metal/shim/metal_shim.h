// Lets the Metal kernels (../kernels/*.h, Metal Shading Language) compile as C++17 with
// g++/clang on machines without Metal, and runs them: the C++ unit tests
// (core-cpp/tests/test_metal_emulation.cpp) dispatch every kernel over its grid with
// metal_emu::dispatch and compare the output with the core's CPU kernels.
//
// What it maps:
// - address spaces: device/thread vanish, constant is const, threadgroup is `static`
//   (every thread of a group is a coroutine on ONE OS thread and groups run one after
//   another, so a function-scope static is exactly one shared copy per threadgroup);
//   kernels only declare threadgroup arrays at kernel scope and never take threadgroup
//   pointers, which keeps that mapping valid.
// - [[kernel]], [[buffer(n)]], [[thread_position_in_grid]], ...: standard C++ attribute
//   syntax; unknown attributes are ignored (the warning is silenced here).
// - vector types (float2, float4, uint2, uint3, int2), half (the core's float16_t),
//   metal:: math, as_type, threadgroup_barrier.
// - INSTANTIATE(host_name, kernel<...>): Metal needs explicit, named instantiations; C++
//   instantiates on use, so the shim makes it a no-op.
//
// Barriers are real: metal_emu::dispatch runs each thread of a group as a ucontext
// coroutine, threadgroup_barrier switches back to the scheduler, and the scheduler resumes
// every thread once per round, so no thread passes barrier k before all reached it. A
// group whose threads disagree on the number of barriers (undefined in Metal) is reported.
#pragma once

#pragma GCC diagnostic ignored "-Wattributes"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif

#if defined(__APPLE__)
// macOS keeps the (deprecated) ucontext routines behind _XOPEN_SOURCE.
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 600
#endif
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#endif
#include <ucontext.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "half_types.h"

#define device
#define thread
#define constant const
#define threadgroup static
#define INSTANTIATE(...)

using uint = unsigned int;
using ushort = unsigned short;
using uchar = unsigned char;
using half = mlx::float16_t;

// ---- vector types ----------------------------------------------------------------------
template <typename T, int N>
struct metal_vec;
template <typename T>
struct metal_vec<T, 2> {
  T x{}, y{};
  metal_vec() = default;
  metal_vec(T a, T b) : x(a), y(b) {}
  explicit metal_vec(T a) : x(a), y(a) {}
  T& operator[](int i) { return i == 0 ? x : y; }
  T operator[](int i) const { return i == 0 ? x : y; }
};
template <typename T>
struct metal_vec<T, 3> {
  T x{}, y{}, z{};
  metal_vec() = default;
  metal_vec(T a, T b, T c) : x(a), y(b), z(c) {}
  explicit metal_vec(T a) : x(a), y(a), z(a) {}
  T& operator[](int i) { return i == 0 ? x : i == 1 ? y : z; }
  T operator[](int i) const { return i == 0 ? x : i == 1 ? y : z; }
};
template <typename T>
struct metal_vec<T, 4> {
  T x{}, y{}, z{}, w{};
  metal_vec() = default;
  metal_vec(T a, T b, T c, T d) : x(a), y(b), z(c), w(d) {}
  explicit metal_vec(T a) : x(a), y(a), z(a), w(a) {}
  T& operator[](int i) { return i == 0 ? x : i == 1 ? y : i == 2 ? z : w; }
  T operator[](int i) const { return i == 0 ? x : i == 1 ? y : i == 2 ? z : w; }
};
#define METAL_VEC_OP(op)                                                   \
  template <typename T, int N>                                             \
  metal_vec<T, N> operator op(metal_vec<T, N> a, const metal_vec<T, N>& b) { \
    for (int i = 0; i < N; ++i) a[i] = a[i] op b[i];                       \
    return a;                                                              \
  }                                                                        \
  template <typename T, int N>                                             \
  metal_vec<T, N> operator op(metal_vec<T, N> a, T b) {                    \
    for (int i = 0; i < N; ++i) a[i] = a[i] op b;                          \
    return a;                                                              \
  }
METAL_VEC_OP(+)
METAL_VEC_OP(-)
METAL_VEC_OP(*)
METAL_VEC_OP(/)
#undef METAL_VEC_OP

using float2 = metal_vec<float, 2>;
using float3 = metal_vec<float, 3>;
using float4 = metal_vec<float, 4>;
using int2 = metal_vec<int, 2>;
using int3 = metal_vec<int, 3>;
using uint2 = metal_vec<uint, 2>;
using uint3 = metal_vec<uint, 3>;

// ---- metal:: math ------------------------------------------------------------------------
namespace metal {
using std::abs;
using std::ceil;
using std::cos;
using std::exp;
using std::fabs;
using std::floor;
using std::fma;
using std::isinf;
using std::isnan;
using std::log;
using std::log1p;
using std::pow;
using std::sin;
using std::sqrt;
using std::tanh;
template <typename T>
T max(T a, T b) { return a > b ? a : b; }
template <typename T>
T min(T a, T b) { return a < b ? a : b; }
inline float rsqrt(float x) { return 1.0f / std::sqrt(x); }
template <typename T>
T select(T a, T b, bool c) { return c ? b : a; }
template <typename T>
using numeric_limits = std::numeric_limits<T>;
namespace precise {
using std::exp;
using std::log;
}  // namespace precise
namespace fast {
using std::exp;
using std::log;
}  // namespace fast
}  // namespace metal

// as_type<To>(x): Metal's reinterpretation of x's bits (same size).
template <typename To, typename From>
To as_type(From x) {
  static_assert(sizeof(To) == sizeof(From), "as_type needs types of one size");
  To t;
  std::memcpy(&t, &x, sizeof t);
  return t;
}

// ---- barriers and the emulator ----------------------------------------------------------
enum class mem_flags { mem_none = 0, mem_device = 1, mem_threadgroup = 2 };

namespace metal_emu {

struct Thread {
  uint3 grid;          // thread_position_in_grid
  uint3 group;         // threadgroup_position_in_grid
  uint3 local;         // thread_position_in_threadgroup
  uint3 group_size;    // threads_per_threadgroup
  uint3 groups;        // threadgroups_per_grid
  uint index;          // thread_index_in_threadgroup
};

struct Fiber {
  ucontext_t ctx;
  std::vector<char> stack;
  bool done = false;
  bool yielded = false;
};

struct Group {
  ucontext_t scheduler;
  std::vector<Fiber> fibers;
  std::vector<Thread> threads;
  const std::function<void(const Thread&)>* body = nullptr;
  int current = -1;
  size_t barriers = 0;
};

inline Group*& current_group() {
  static Group* g = nullptr;
  return g;
}

inline void fiber_entry() {
  Group* g = current_group();
  int i = g->current;
  (*g->body)(g->threads[i]);
  g->fibers[i].done = true;  // returns to uc_link: the scheduler
}

inline void barrier() {
  Group* g = current_group();
  if (g == nullptr || g->current < 0) return;
  Fiber& f = g->fibers[g->current];
  f.yielded = true;
  swapcontext(&f.ctx, &g->scheduler);
}

// Runs `body` for every thread of a grid of `groups` threadgroups of `group_size` threads:
// threadgroups one after another, the threads of each group as coroutines switching at
// every barrier. Returns the number of barrier rounds run (for the tests to see that
// barriers really happened).
inline size_t dispatch(uint3 groups, uint3 group_size, const std::function<void(const Thread&)>& body) {
  const size_t per_group = size_t(group_size.x) * group_size.y * group_size.z;
  if (per_group == 0 || per_group > 1024) throw std::invalid_argument("[metal_emu] 1..1024 threads per group.");
  Group g;
  g.body = &body;
  g.fibers.resize(per_group);
  g.threads.resize(per_group);
  for (auto& f : g.fibers) f.stack.resize(64 * 1024);
  Group* saved = current_group();
  current_group() = &g;
  size_t rounds = 0;
  for (uint gz = 0; gz < groups.z; ++gz)
    for (uint gy = 0; gy < groups.y; ++gy)
      for (uint gx = 0; gx < groups.x; ++gx) {
        size_t i = 0;
        for (uint lz = 0; lz < group_size.z; ++lz)
          for (uint ly = 0; ly < group_size.y; ++ly)
            for (uint lx = 0; lx < group_size.x; ++lx, ++i) {
              Thread& t = g.threads[i];
              t.group = uint3(gx, gy, gz);
              t.local = uint3(lx, ly, lz);
              t.group_size = group_size;
              t.groups = groups;
              t.grid = uint3(gx * group_size.x + lx, gy * group_size.y + ly, gz * group_size.z + lz);
              t.index = uint(i);
              Fiber& f = g.fibers[i];
              f.done = false;
              getcontext(&f.ctx);
              f.ctx.uc_stack.ss_sp = f.stack.data();
              f.ctx.uc_stack.ss_size = f.stack.size();
              f.ctx.uc_link = &g.scheduler;
              makecontext(&f.ctx, fiber_entry, 0);
            }
        // Round-robin: each round resumes every live thread once; it runs to its next
        // barrier or to its end.
        bool live = true;
        while (live) {
          live = false;
          size_t yielded = 0, finished = 0;
          for (size_t k = 0; k < per_group; ++k) {
            Fiber& f = g.fibers[k];
            if (f.done) continue;
            f.yielded = false;
            g.current = int(k);
            swapcontext(&g.scheduler, &f.ctx);
            g.current = -1;
            if (f.yielded) ++yielded;
            if (f.done) ++finished;
          }
          if (yielded > 0 && finished > 0) {
            current_group() = saved;
            throw std::logic_error("[metal_emu] Threads of a group disagree on the number of barriers.");
          }
          if (yielded > 0) {
            live = true;
            ++rounds;
          }
        }
      }
  current_group() = saved;
  return rounds;
}

}  // namespace metal_emu

inline void threadgroup_barrier(mem_flags) { metal_emu::barrier(); }

// The Metal backend (macOS): arrays live in shared-storage MTLBuffers (unified memory, as
// in MLX), so the CPU kernels and the GPU kernels read and write the same bytes; the
// kernels of ./kernels/*.h (MSL, embedded in the addon by
// packages/backend-native/scripts/metal-source.cjs) are compiled at load with
// newLibraryWithSource, so no offline Metal compiler is needed.
//
// Evaluation: the core offers every graph node to eval_node (device_hooks::eval). The
// families the kernels cover (element-wise unary/binary/where with any strides, casts and
// copies, reductions over trailing axes, softmax and logsumexp over the last axis, the fast
// primitives RMSNorm / LayerNorm / RoPE / ScaledDotProductAttention, matmul, the quantized
// matmuls (gather_qmm too) and dequantize of every quantization mode) are encoded
// into one command buffer per evaluation step; any other primitive first waits for the
// work encoded so far (the CPU reads the same memory) and then runs its CPU kernel. When
// the step ends (device_hooks::synchronize) the command buffer is committed and its
// completion handler signals the waiting thread: with asyncEval that thread is the addon's
// worker thread, so the event loop is never blocked on the GPU.
//
// This file is only compiled on macOS (binding.gyp, OS=="mac"). It is NOT compiled or run
// on the Linux machines the project is developed on; the kernels themselves are checked
// there by running them on the CPU through ./shim/metal_shim.h
// (core-cpp/tests/test_metal_emulation.cpp).
// The core's C++ headers come before the Objective-C ones, so that no framework macro
// (AssertMacros' check/require, MIN/MAX) can reach them.
#include "metal_backend.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "allocator.h"
#include "array.h"
#include "device_hooks.h"
#include "elementwise_table.h"
#include "primitive.h"
#include "primitives/fast.h"
#include "primitives/gather_qmm.h"
#include "primitives/quantized.h"
#include "primitives/quantized_fp.h"
#include "primitives/reduce.h"
#include "kernels/params.h"
#include "metal_kernels_source.h"  // generated: const char* mlx_metal_kernels_source

#import <Foundation/Foundation.h>
#import <Metal/Metal.h>

namespace mlx::metal {

namespace {

struct State {
  id<MTLDevice> device = nil;
  id<MTLCommandQueue> queue = nil;
  id<MTLLibrary> library = nil;
  std::unordered_map<std::string, id<MTLComputePipelineState>> pipelines;
  // Every live buffer by the address of its contents (for binding a pointer into a view).
  std::mutex buffers_mutex;
  std::map<uintptr_t, id<MTLBuffer>> buffers;
  id<MTLCommandBuffer> command_buffer = nil;
  id<MTLComputeCommandEncoder> encoder = nil;
  bool enabled = false;
};

State& state() {
  static State* s = new State();  // never destroyed: buffers may be freed at exit
  return *s;
}

// ---- memory: the allocator's raw buffers are MTLBuffer contents --------------------------

void* buffer_malloc(size_t bytes) {
  State& s = state();
  id<MTLBuffer> b = [s.device newBufferWithLength:(bytes ? bytes : 1) options:MTLResourceStorageModeShared];
  if (b == nil) return nullptr;  // the allocator reports the failure as [malloc]
  void* p = [b contents];
  std::lock_guard<std::mutex> lock(s.buffers_mutex);
  s.buffers[reinterpret_cast<uintptr_t>(p)] = b;
  return p;
}

void buffer_free(void* p) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.buffers_mutex);
  // ARC releases the buffer (command buffers in flight retain theirs). A buffer from
  // before init() came from std::malloc.
  if (s.buffers.erase(reinterpret_cast<uintptr_t>(p)) == 0) std::free(p);
}

// The buffer holding `p` (an array's data pointer may point into the middle of one: views,
// the allocator's size header) and the offset of `p` in it.
bool buffer_of(const void* p, id<MTLBuffer>* buffer, NSUInteger* offset) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.buffers_mutex);
  uintptr_t a = reinterpret_cast<uintptr_t>(p);
  auto it = s.buffers.upper_bound(a);
  if (it == s.buffers.begin()) return false;
  --it;
  if (a >= it->first + [it->second length]) return false;
  *buffer = it->second;
  *offset = a - it->first;
  return true;
}

// ---- command encoding ----------------------------------------------------------------------

id<MTLComputePipelineState> pipeline(const std::string& name) {
  State& s = state();
  auto it = s.pipelines.find(name);
  if (it != s.pipelines.end()) return it->second;
  id<MTLFunction> fn = [s.library newFunctionWithName:[NSString stringWithUTF8String:name.c_str()]];
  if (fn == nil) return nil;
  NSError* error = nil;
  id<MTLComputePipelineState> p = [s.device newComputePipelineStateWithFunction:fn error:&error];
  if (p == nil) {
    throw std::runtime_error("[metal] Cannot build the pipeline of " + name + ": " +
                             std::string([[error localizedDescription] UTF8String]));
  }
  s.pipelines[name] = p;
  return p;
}

id<MTLComputeCommandEncoder> encoder() {
  State& s = state();
  if (s.command_buffer == nil) s.command_buffer = [s.queue commandBuffer];
  if (s.encoder == nil) s.encoder = [s.command_buffer computeCommandEncoder];
  return s.encoder;
}

// Commits the work encoded so far and waits for it; the completion handler signals the
// waiting thread (the JS thread for eval, the addon's worker thread for asyncEval).
void flush() {
  State& s = state();
  if (s.command_buffer == nil) return;
  if (s.encoder != nil) [s.encoder endEncoding];
  id<MTLCommandBuffer> cb = s.command_buffer;
  s.encoder = nil;
  s.command_buffer = nil;
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  [cb addCompletedHandler:^(id<MTLCommandBuffer>) {
    dispatch_semaphore_signal(done);
  }];
  [cb commit];
  dispatch_semaphore_wait(done, DISPATCH_TIME_FOREVER);
  if ([cb status] == MTLCommandBufferStatusError) {
    NSError* e = [cb error];
    throw std::runtime_error(std::string("[metal] The command buffer failed: ") +
                             (e ? [[e localizedDescription] UTF8String] : "unknown error"));
  }
}

void set_array(id<MTLComputeCommandEncoder> enc, const array& a, int index) {
  id<MTLBuffer> b = nil;
  NSUInteger off = 0;
  if (!buffer_of(a.raw_data(), &b, &off)) throw std::logic_error("[metal] An array's memory is not a Metal buffer.");
  [enc setBuffer:b offset:off atIndex:index];
}

template <typename T>
void set_value(id<MTLComputeCommandEncoder> enc, const T& v, int index) {
  [enc setBytes:&v length:sizeof(T) atIndex:index];
}

Layout layout_of(const array& x) {
  Layout l{};
  l.ndim = x.ndim();
  for (int d = 0; d < x.ndim(); ++d) {
    l.shape[d] = x.shape(d);
    l.strides[d] = long(x.strides(d));
  }
  return l;
}

// The input read with the output's shape: broadcast axes get stride 0 (numpy alignment).
Layout broadcast_layout(const array& x, const array& out) {
  Layout l{};
  l.ndim = out.ndim();
  int shift = out.ndim() - x.ndim();
  for (int d = 0; d < out.ndim(); ++d) {
    l.shape[d] = out.shape(d);
    int xd = d - shift;
    l.strides[d] = (xd < 0 || x.shape(xd) == 1) ? 0 : long(x.strides(xd));
  }
  return l;
}

const char* dtype_suffix(Dtype t) {
  switch (t) {
    case Dtype::float32: return "float32";
    case Dtype::float16: return "float16";
    case Dtype::int32: return "int32";
    case Dtype::uint8: return "uint8";
    case Dtype::bool_: return "bool";
    default: return nullptr;  // float64 (Metal has no double), bfloat16, 64-bit ints, complex64: CPU
  }
}

void dispatch_1d(id<MTLComputeCommandEncoder> enc, id<MTLComputePipelineState> p, size_t n) {
  NSUInteger group = std::min<NSUInteger>([p maxTotalThreadsPerThreadgroup], 256);
  [enc dispatchThreadgroups:MTLSizeMake((n + group - 1) / group, 1, 1) threadsPerThreadgroup:MTLSizeMake(group, 1, 1)];
}

bool fits(const array& x) { return x.ndim() <= MLX_METAL_MAX_NDIM && x.size() < (size_t(1) << 32); }

// Primitive name -> kernel name (without the dtype suffix) of the element-wise kernels:
// the ops marked `metal` in elementwise_table.h (kernels named after the MLX op), plus
// the copy and the comparisons the MSL also has.
#define MLX_METAL_ENTRY(NAME, MLX_NAME, KINDS, OUT, FUSES, METAL, OP) \
  if (METAL) m.emplace(#NAME, #MLX_NAME);
const std::unordered_map<std::string, std::string>& unary_kernels() {
  static const std::unordered_map<std::string, std::string> m = [] {
    std::unordered_map<std::string, std::string> m = {{"Copy", "copy"}};
    MLX_ELEMENTWISE_UNARY(MLX_METAL_ENTRY)
    return m;
  }();
  return m;
}
const std::unordered_map<std::string, std::string>& binary_kernels() {
  static const std::unordered_map<std::string, std::string> m = [] {
    std::unordered_map<std::string, std::string> m = {{"Less", "less"}, {"Equal", "equal"}};
    MLX_ELEMENTWISE_BINARY(MLX_METAL_ENTRY)
    return m;
  }();
  return m;
}
#undef MLX_METAL_ENTRY
const std::unordered_map<std::string, std::string>& reduce_kernels() {
  static const std::unordered_map<std::string, std::string> m = {
      {"Sum", "sum"}, {"Prod", "prod"}, {"Max", "max"}, {"Min", "min"}};
  return m;
}

void alloc_out(array& out) { out.set_data(allocator::malloc(out.nbytes())); }

// A pipeline for `name` if the library has it (it has only the instantiated dtypes).
id<MTLComputePipelineState> find(const std::string& name) { return pipeline(name); }

bool eval_unary(const std::string& kernel, const array& in, array& out) {
  const char* t = dtype_suffix(in.dtype());
  if (!t || in.dtype() != out.dtype() || !fits(in)) return false;
  id<MTLComputePipelineState> p = find(kernel + "_" + t);
  if (p == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, in, 0);
  set_array(enc, out, 1);
  set_value(enc, layout_of(in), 2);
  set_value(enc, uint32_t(out.size()), 3);
  dispatch_1d(enc, p, out.size());
  return true;
}

bool eval_cast(const array& in, array& out) {
  const char* a = dtype_suffix(in.dtype());
  const char* b = dtype_suffix(out.dtype());
  if (!a || !b || !fits(in)) return false;
  id<MTLComputePipelineState> p = find(std::string("cast_") + a + "_" + b);
  if (p == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, in, 0);
  set_array(enc, out, 1);
  set_value(enc, layout_of(in), 2);
  set_value(enc, uint32_t(out.size()), 3);
  dispatch_1d(enc, p, out.size());
  return true;
}

bool eval_binary(const std::string& kernel, const array& a, const array& b, array& out) {
  const char* t = dtype_suffix(a.dtype());
  if (!t || a.dtype() != b.dtype() || !fits(out)) return false;
  id<MTLComputePipelineState> p = find(kernel + "_" + t);
  if (p == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, a, 0);
  set_array(enc, b, 1);
  set_array(enc, out, 2);
  set_value(enc, broadcast_layout(a, out), 3);
  set_value(enc, broadcast_layout(b, out), 4);
  set_value(enc, uint32_t(out.size()), 5);
  dispatch_1d(enc, p, out.size());
  return true;
}

bool eval_where(const array& c, const array& a, const array& b, array& out) {
  const char* t = dtype_suffix(out.dtype());
  if (!t || c.dtype() != Dtype::bool_ || !fits(out)) return false;
  id<MTLComputePipelineState> p = find(std::string("where_") + t);
  if (p == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, c, 0);
  set_array(enc, a, 1);
  set_array(enc, b, 2);
  set_array(enc, out, 3);
  set_value(enc, broadcast_layout(c, out), 4);
  set_value(enc, broadcast_layout(a, out), 5);
  set_value(enc, broadcast_layout(b, out), 6);
  set_value(enc, uint32_t(out.size()), 7);
  dispatch_1d(enc, p, out.size());
  return true;
}

// One threadgroup per row of a row-contiguous input: reductions over trailing axes (the
// Reduce output keeps reduced axes as size 1), softmax/logsumexp over the last axis.
bool eval_rows(const std::string& name, const array& in, array& out, size_t rows, size_t row_size,
               int threads) {
  if (!in.flags().row_contiguous || rows == 0 || row_size >= (size_t(1) << 32)) return false;
  id<MTLComputePipelineState> p = find(name);
  if (p == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, in, 0);
  set_array(enc, out, 1);
  set_value(enc, uint32_t(row_size), 2);
  [enc dispatchThreadgroups:MTLSizeMake(rows, 1, 1) threadsPerThreadgroup:MTLSizeMake(threads, 1, 1)];
  return true;
}

bool eval_reduce(const std::string& kernel, const array& in, array& out) {
  const char* t = dtype_suffix(in.dtype());
  if (!t || in.dtype() != out.dtype() || in.size() == 0) return false;
  // Reduced axes (size 1 in out, not in in) must be the trailing ones.
  int nd = in.ndim();
  int first_reduced = nd;
  for (int d = nd - 1; d >= 0 && (out.shape(d) == 1 || in.shape(d) == 1); --d) first_reduced = d;
  for (int d = 0; d < first_reduced; ++d) {
    if (out.shape(d) != in.shape(d)) return false;
  }
  size_t rows = out.size();
  return eval_rows(kernel + "_" + t, in, out, rows, in.size() / rows, MLX_METAL_REDUCE_THREADS);
}

bool eval_matmul(const array& a, const array& b, array& out) {
  const char* t = dtype_suffix(out.dtype());
  if (!t || (out.dtype() != Dtype::float32 && out.dtype() != Dtype::float16) || out.size() == 0) return false;
  int nd = out.ndim();
  if (nd > MLX_METAL_MAX_NDIM + 2) return false;
  GemmParams p{};
  p.M = out.shape(nd - 2);
  p.N = out.shape(nd - 1);
  p.K = a.shape(nd - 1);
  p.a_rs = long(a.strides(nd - 2));
  p.a_cs = long(a.strides(nd - 1));
  p.b_rs = long(b.strides(nd - 2));
  p.b_cs = long(b.strides(nd - 1));
  p.a_batch.ndim = p.b_batch.ndim = nd - 2;
  size_t batches = 1;
  for (int d = 0; d < nd - 2; ++d) {
    p.a_batch.shape[d] = p.b_batch.shape[d] = out.shape(d);
    p.a_batch.strides[d] = long(a.strides(d));
    p.b_batch.strides[d] = long(b.strides(d));
    batches *= size_t(out.shape(d));
  }
  id<MTLComputePipelineState> pl = find(std::string("matmul_") + t);
  if (pl == nil) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:pl];
  set_array(enc, a, 0);
  set_array(enc, b, 1);
  set_array(enc, out, 2);
  set_value(enc, p, 3);
  const NSUInteger tile = MLX_METAL_TILE;
  [enc dispatchThreadgroups:MTLSizeMake((p.N + tile - 1) / tile, (p.M + tile - 1) / tile, batches)
      threadsPerThreadgroup:MTLSizeMake(tile, tile, 1)];
  return true;
}

// RMSNorm / LayerNorm over the last axis of a row-contiguous x (weight and bias 1-D and
// contiguous): one threadgroup of MLX_METAL_ROW_THREADS threads per row (kernels/fast.h).
bool eval_norm(const std::string& kernel, bool layer, const array& x, const array* w, const array* b, double eps,
               array& out) {
  if (out.dtype() != Dtype::float32 && out.dtype() != Dtype::float16) return false;
  if (x.ndim() == 0 || x.size() == 0 || !x.flags().row_contiguous) return false;
  if ((w && !w->flags().row_contiguous) || (b && !b->flags().row_contiguous)) return false;
  size_t d = size_t(x.shape(-1));
  if (d >= (size_t(1) << 32)) return false;
  id<MTLComputePipelineState> p = find(kernel + "_" + dtype_suffix(out.dtype()));
  if (p == nil) return false;
  NormParams params{uint32_t(d), float(eps), w ? 1 : 0, b ? 1 : 0};
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  int i = 0;
  set_array(enc, x, i++);
  set_array(enc, w ? *w : x, i++);  // an absent weight/bias is never read, but bound (x)
  if (layer) set_array(enc, b ? *b : x, i++);
  set_array(enc, out, i++);
  set_value(enc, params, i);
  [enc dispatchThreadgroups:MTLSizeMake(x.size() / d, 1, 1)
      threadsPerThreadgroup:MTLSizeMake(MLX_METAL_ROW_THREADS, 1, 1)];
  return true;
}

// RoPE of a row-contiguous x [..., L, D]: one thread per rotated pair, grid (pairs, rows).
bool eval_rope(const RoPE& r, const array& x, array& out) {
  if (out.dtype() != Dtype::float32 && out.dtype() != Dtype::float16) return false;
  if (x.ndim() < 3 || x.size() == 0 || !x.flags().row_contiguous || x.size() >= (size_t(1) << 32)) return false;
  size_t d = size_t(x.shape(-1));
  id<MTLComputePipelineState> p = find(std::string("rope_") + dtype_suffix(out.dtype()));
  if (p == nil) return false;
  RopeParams params{uint32_t(d), uint32_t(r.dims()), uint32_t(x.shape(-2)), r.offset(), float(r.base()),
                    float(r.scale()), r.traditional() ? 1 : 0};
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, x, 0);
  set_array(enc, out, 1);
  set_value(enc, params, 2);
  // Threads past the last pair only repeat copies of the pass-through features.
  const NSUInteger group = 32, pairs = NSUInteger(r.dims() / 2);
  [enc dispatchThreadgroups:MTLSizeMake((pairs + group - 1) / group, x.size() / d, 1)
      threadsPerThreadgroup:MTLSizeMake(group, 1, 1)];
  return true;
}

// Attention without a mask array (none or causal), equal heads for q and k/v, Dv == D <=
// MLX_METAL_SDPA_MAX_D, row-contiguous operands: heads fold into the kernel's batch axis;
// one threadgroup of D threads per (query, batch·head) (kernels/fast.h, sdpa_rows).
bool eval_sdpa(const ScaledDotProductAttention& a, const array& q, const array& k, const array& v, array& out) {
  if (out.dtype() != Dtype::float32 && out.dtype() != Dtype::float16) return false;
  if (a.has_mask() || out.size() == 0) return false;
  if (!q.flags().row_contiguous || !k.flags().row_contiguous || !v.flags().row_contiguous) return false;
  int d = q.shape(3);
  if (k.shape(1) != q.shape(1) || v.shape(3) != d || d > MLX_METAL_SDPA_MAX_D || k.shape(2) == 0) return false;
  id<MTLComputePipelineState> p = find(std::string("sdpa_") + dtype_suffix(out.dtype()));
  if (p == nil || NSUInteger(d) > [p maxTotalThreadsPerThreadgroup]) return false;
  SdpaParams params{uint32_t(q.shape(2)), uint32_t(k.shape(2)), uint32_t(d), float(a.scale()), a.causal() ? 1 : 0};
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  set_array(enc, q, 0);
  set_array(enc, k, 1);
  set_array(enc, v, 2);
  set_array(enc, out, 3);
  set_value(enc, params, 4);
  [enc dispatchThreadgroups:MTLSizeMake(NSUInteger(q.shape(2)), NSUInteger(q.shape(0)) * NSUInteger(q.shape(1)), 1)
      threadsPerThreadgroup:MTLSizeMake(NSUInteger(d), 1, 1)];
  return true;
}

// The kernel-name part after qmv_/qmm_t_/qmm_n_/dequantize_: <dtype>_<bits> for affine
// (kernels/quantized.h), <mode>_<dtype> for the floating-point modes (quantized_fp.h), or
// empty (no kernel: mode or dtype not instantiated).
std::string quantized_suffix(bool affine, int group_size, int bits, Dtype dtype) {
  if (dtype != Dtype::float32 && dtype != Dtype::float16) return "";
  const std::string t = dtype_suffix(dtype);
  if (affine) return t + "_" + std::to_string(bits);
  if (group_size == 16 && bits == 4) return "nvfp4_" + t;
  if (group_size == 32 && bits == 4) return "mxfp4_" + t;
  if (group_size == 32 && bits == 8) return "mxfp8_" + t;
  return "";
}

// Checks the dtypes and layouts every quantized product needs: float32/float16 x and output
// (affine scales and biases too; floating-point modes: uint8 scale codes), uint32 codes,
// row-contiguous operands. Returns the kernel-name suffix, or "" to decline.
std::string quantized_product_suffix(bool affine, int group_size, int bits, const std::vector<const array*>& ops,
                                     const array& out) {
  const array &x = *ops[0], &w = *ops[1], &s = *ops[2];
  const std::string suffix = quantized_suffix(affine, group_size, bits, out.dtype());
  if (suffix.empty() || x.dtype() != out.dtype() || w.dtype() != Dtype::uint32) return "";
  if (affine ? (s.dtype() != out.dtype() || ops[3]->dtype() != out.dtype()) : s.dtype() != Dtype::uint8) return "";
  if (out.size() == 0 || x.ndim() < 1 || w.ndim() < 2 || s.ndim() < 2 || x.shape(-1) == 0) return "";
  for (const array* a : ops) {
    if (!a->flags().row_contiguous) return "";
  }
  const int64_t K = x.shape(-1), N = out.shape(-1);
  if (K >= (int64_t(1) << 31) || N >= (int64_t(1) << 31) || K * bits >= (int64_t(1) << 32) ||
      N * bits >= (int64_t(1) << 32))
    return "";
  return suffix;
}

// Encodes qmv (W [N, K] and at most kMetalQmvMaxRows rows of x per product) or the tiled
// qmm (otherwise; W [K, N] too) over `batches` output matrices. `index` holds the gathered
// matrix indices (lhs then rhs, `batches` each) or is nil (x is bound in their place).
constexpr int64_t kMetalQmvMaxRows = 8;
bool encode_quantized_matmul(const std::string& suffix, bool transposed, const std::vector<const array*>& ops,
                             id<MTLBuffer> index, int64_t batches, const QuantParams& params, array& out) {
  const bool qmv = transposed && params.M <= kMetalQmvMaxRows;
  const std::string name = (qmv ? "qmv_" : transposed ? "qmm_t_" : "qmm_n_") + suffix;
  const NSUInteger tile = MLX_METAL_TILE, M = NSUInteger(params.M), N = NSUInteger(params.N);
  MTLSize groups = qmv ? MTLSizeMake((N + MLX_METAL_QMV_ROWS - 1) / MLX_METAL_QMV_ROWS, M, NSUInteger(batches))
                       : MTLSizeMake((N + tile - 1) / tile, (M + tile - 1) / tile, NSUInteger(batches));
  MTLSize threads = qmv ? MTLSizeMake(MLX_METAL_QMV_THREADS, 1, 1) : MTLSizeMake(tile, tile, 1);
  if (groups.height > 65535 || groups.depth > 65535) return false;
  id<MTLComputePipelineState> p = find(name);
  if (p == nil || threads.width * threads.height > [p maxTotalThreadsPerThreadgroup]) return false;
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  int i = 0;
  for (const array* a : ops) set_array(enc, *a, i++);  // x, w, scales(, biases)
  if (index != nil) {
    [enc setBuffer:index offset:0 atIndex:i++];
    [enc setBuffer:index offset:NSUInteger(batches) * sizeof(uint32_t) atIndex:i++];
  } else {
    set_array(enc, *ops[0], i++);  // never read
    set_array(enc, *ops[0], i++);
  }
  set_array(enc, out, i++);
  set_value(enc, params, i);
  [enc dispatchThreadgroups:groups threadsPerThreadgroup:threads];
  return true;
}

// QuantizedMatmul (affine: x, w, scales, biases) and FpQuantizedMatmul (x, w, scale codes):
// a single W serves every row of x (x's batch folds into M); a batch of W comes with x and
// the scales broadcast to it, which the core materialises (else: decline).
bool eval_quantized_matmul(bool affine, int group_size, int bits, bool transposed, const std::vector<array>& in,
                           array& out) {
  std::vector<const array*> ops;
  for (const array& a : in) ops.push_back(&a);
  const std::string suffix = quantized_product_suffix(affine, group_size, bits, ops, out);
  if (suffix.empty()) return false;
  const array &x = in[0], &w = in[1], &s = in[2];
  const int64_t K = x.shape(-1), N = out.shape(-1);
  int64_t M = x.ndim() > 1 ? x.shape(-2) : 1;
  const int64_t w_mat = int64_t(w.shape(-1)) * w.shape(-2), s_mat = int64_t(s.shape(-1)) * s.shape(-2);
  const int64_t w_batches = int64_t(w.size()) / w_mat;
  int64_t batches = int64_t(out.size()) / (M * N);
  if (w_batches == 1) {
    M *= batches;
    batches = 1;
  } else if (w_batches != batches || int64_t(x.size()) != batches * M * K || int64_t(s.size()) != batches * s_mat) {
    return false;
  }
  if (M >= (int64_t(1) << 31)) return false;
  QuantParams params{};
  params.M = int(M);
  params.N = int(N);
  params.K = int(K);
  params.group_size = group_size;
  params.bits = bits;
  params.gather = 0;
  params.x_batch = long(M * K);
  params.w_batch = w_batches == 1 ? 0 : long(w_mat);
  params.s_batch = w_batches == 1 ? 0 : long(s_mat);
  return encode_quantized_matmul(suffix, transposed, ops, nil, batches, params, out);
}

// GatherQMM (x, w, scales, [biases], lhs, rhs): output matrix i is x matrix lhs[i] times W
// matrix rhs[i]. The indices are read here (after the GPU work they may depend on), so an
// index out of range declines and the CPU kernel raises MLX's error; they go to the kernels
// as one small buffer in row order (any strides, e.g. broadcast).
bool eval_gather_qmm(const GatherQMM& g, const std::vector<array>& in, array& out) {
  const bool affine = g.mode() == QuantizationMode::Affine;
  if (in.size() != (affine ? 6u : 5u)) return false;
  std::vector<const array*> ops;
  for (size_t i = 0; i + 2 < in.size(); ++i) ops.push_back(&in[i]);
  const array &lhs = in[in.size() - 2], &rhs = in[in.size() - 1];
  const std::string suffix = quantized_product_suffix(affine, g.group_size(), g.bits(), ops, out);
  if (suffix.empty() || lhs.dtype() != Dtype::uint32 || rhs.dtype() != Dtype::uint32) return false;
  const array &x = in[0], &w = in[1], &s = in[2];
  if (x.ndim() < 2 || lhs.shape() != rhs.shape() || lhs.ndim() > MLX_METAL_MAX_NDIM) return false;
  const int64_t M = x.shape(-2), K = x.shape(-1), N = out.shape(-1);
  const int64_t w_mat = int64_t(w.shape(-1)) * w.shape(-2), s_mat = int64_t(s.shape(-1)) * s.shape(-2);
  const int64_t x_batches = int64_t(x.size()) / (M * K), w_batches = int64_t(w.size()) / w_mat;
  const int64_t pairs = int64_t(lhs.size());
  if (pairs == 0 || int64_t(out.size()) != pairs * M * N || pairs > 65535) return false;
  flush();  // the indices may be outputs of work encoded in this step
  std::vector<uint32_t> index(size_t(2 * pairs));
  const Layout ll = layout_of(lhs), lr = layout_of(rhs);
  const uint32_t* pl = lhs.data<uint32_t>();
  const uint32_t* pr = rhs.data<uint32_t>();
  for (int64_t i = 0; i < pairs; ++i) {
    long a = 0, b = 0;
    int64_t rem = i;
    for (int d = ll.ndim - 1; d >= 0; --d) {
      a += long(rem % ll.shape[d]) * ll.strides[d];
      b += long(rem % lr.shape[d]) * lr.strides[d];
      rem /= ll.shape[d];
    }
    index[size_t(i)] = pl[a];
    index[size_t(pairs + i)] = pr[b];
    if (pl[a] >= uint64_t(x_batches) || pr[b] >= uint64_t(w_batches)) return false;  // the CPU kernel throws
  }
  id<MTLBuffer> buffer = [state().device newBufferWithBytes:index.data()
                                                     length:index.size() * sizeof(uint32_t)
                                                    options:MTLResourceStorageModeShared];
  if (buffer == nil) return false;
  QuantParams params{};
  params.M = int(M);
  params.N = int(N);
  params.K = int(K);
  params.group_size = g.group_size();
  params.bits = g.bits();
  params.gather = 1;
  params.x_batch = long(M * K);
  params.w_batch = long(w_mat);
  params.s_batch = long(s_mat);
  // The command buffer retains the index buffer until the kernels have run.
  return encode_quantized_matmul(suffix, g.transposed(), ops, buffer, pairs, params, out);
}

// Dequantize (affine: w, scales, biases) and FpDequantize (w, scale codes): one thread per
// value, row-contiguous operands, a float32/float16 output (affine: scales and biases in it).
bool eval_dequantize(bool affine, int group_size, int bits, const std::vector<array>& in, array& out) {
  const array &w = in[0], &s = in[1];
  const std::string suffix = quantized_suffix(affine, group_size, bits, out.dtype());
  if (suffix.empty() || w.dtype() != Dtype::uint32) return false;
  if (affine ? (s.dtype() != out.dtype() || in[2].dtype() != out.dtype()) : s.dtype() != Dtype::uint8) return false;
  if (out.size() == 0 || out.ndim() < 1 || out.size() >= (size_t(1) << 32)) return false;
  for (const array& a : in) {
    if (!a.flags().row_contiguous) return false;
  }
  const size_t n = size_t(out.shape(-1));
  if (n * size_t(bits) >= (size_t(1) << 32)) return false;
  // Affine kernels take the bits as a parameter: one per dtype.
  id<MTLComputePipelineState> p =
      find("dequantize_" + (affine ? std::string(dtype_suffix(out.dtype())) : suffix));
  if (p == nil) return false;
  DequantParams params{uint32_t(n), uint32_t(w.shape(-1)), uint32_t(group_size), uint32_t(out.size()), bits};
  alloc_out(out);
  auto enc = encoder();
  [enc setComputePipelineState:p];
  int i = 0;
  for (const array& a : in) set_array(enc, a, i++);  // w, scales(, biases)
  set_array(enc, out, i++);
  set_value(enc, params, i);
  dispatch_1d(enc, p, out.size());
  return true;
}

bool eval_node(Primitive& prim, const std::vector<array>& inputs, std::vector<array>& outputs) {
  State& s = state();
  bool done = false;
  if (s.enabled && outputs.size() == 1) {
    std::string name = prim.name();
    array& out = outputs[0];
    if (inputs.size() == 1 && unary_kernels().count(name)) {
      done = eval_unary(unary_kernels().at(name), inputs[0], out);
    } else if (inputs.size() == 1 && name == "AsType") {
      done = inputs[0].dtype() == out.dtype() ? eval_unary("copy", inputs[0], out) : eval_cast(inputs[0], out);
    } else if (inputs.size() == 2 && binary_kernels().count(name)) {
      done = eval_binary(binary_kernels().at(name), inputs[0], inputs[1], out);
    } else if (inputs.size() == 3 && name == "Select") {
      done = eval_where(inputs[0], inputs[1], inputs[2], out);
    } else if (inputs.size() == 1 && reduce_kernels().count(name)) {
      done = eval_reduce(reduce_kernels().at(name), inputs[0], out);
    } else if (inputs.size() == 1 && name == "Softmax") {
      const char* t = dtype_suffix(out.dtype());
      const array& x = inputs[0];
      if (t && x.ndim() > 0 && x.size() > 0) {
        size_t d = size_t(x.shape(-1));
        done = eval_rows(std::string("softmax_") + t, x, out, x.size() / d, d, MLX_METAL_ROW_THREADS);
      }
    } else if (inputs.size() == 1 && name == "LogSumExp") {
      // Same guards as Softmax; the output holds one value per row.
      const char* t = dtype_suffix(out.dtype());
      const array& x = inputs[0];
      if (t && x.ndim() > 0 && x.size() > 0) {
        size_t d = size_t(x.shape(-1));
        done = eval_rows(std::string("logsumexp_") + t, x, out, x.size() / d, d, MLX_METAL_ROW_THREADS);
      }
    } else if (name == "FFT") {
      // No Metal FFT kernel (complex64 has none): the CPU kernel runs on the shared memory.
      done = false;
    } else if (auto* rms = dynamic_cast<RMSNorm*>(&prim)) {
      done = eval_norm("rms_norm", false, inputs[0], rms->has_weight() ? &inputs[1] : nullptr, nullptr, rms->eps(),
                       out);
    } else if (auto* ln = dynamic_cast<LayerNorm*>(&prim)) {
      const array* w = ln->has_weight() ? &inputs[1] : nullptr;
      const array* b = ln->has_bias() ? &inputs[ln->has_weight() ? 2 : 1] : nullptr;
      done = eval_norm("layer_norm", true, inputs[0], w, b, ln->eps(), out);
    } else if (auto* rope = dynamic_cast<RoPE*>(&prim)) {
      done = eval_rope(*rope, inputs[0], out);
    } else if (auto* att = dynamic_cast<ScaledDotProductAttention*>(&prim)) {
      done = eval_sdpa(*att, inputs[0], inputs[1], inputs[2], out);
    } else if (inputs.size() == 2 && name == "Matmul") {
      done = eval_matmul(inputs[0], inputs[1], out);
    } else if (auto* qmm = dynamic_cast<QuantizedMatmul*>(&prim)) {
      done = inputs.size() == 4 &&
             eval_quantized_matmul(true, qmm->group_size(), qmm->bits(), qmm->transposed(), inputs, out);
    } else if (auto* fqmm = dynamic_cast<FpQuantizedMatmul*>(&prim)) {
      done = inputs.size() == 3 &&
             eval_quantized_matmul(false, fqmm->group_size(), fqmm->bits(), fqmm->transposed(), inputs, out);
    } else if (auto* gq = dynamic_cast<GatherQMM*>(&prim)) {
      done = eval_gather_qmm(*gq, inputs, out);
    } else if (auto* dq = dynamic_cast<Dequantize*>(&prim)) {
      done = inputs.size() == 3 && eval_dequantize(true, dq->group_size(), dq->bits(), inputs, out);
    } else if (auto* fdq = dynamic_cast<FpDequantize*>(&prim)) {
      done = inputs.size() == 2 && eval_dequantize(false, fdq->group_size(), fdq->bits(), inputs, out);
    }
    // Quantize and FpQuantize have no Metal kernel: their CPU kernels run on the shared
    // memory.
  }
  // The CPU kernel reads memory the GPU may still be writing: finish that work first.
  if (!done) flush();
  return done;
}

void synchronize() { flush(); }

std::string library_source() {
  // The prelude makes the shared sources MSL: metal_stdlib, and named instantiations.
  return std::string("#include <metal_stdlib>\n"
                     "using namespace metal;\n"
                     "#define INSTANTIATE(name, fn, ...) template [[host_name(#name)]] [[kernel]] "
                     "decltype(fn<__VA_ARGS__>) fn<__VA_ARGS__>;\n") +
         mlx_metal_kernels_source;
}

}  // namespace

bool init(std::string* why) {
  State& s = state();
  if (s.device != nil) return true;
  @autoreleasepool {
    id<MTLDevice> device = MTLCreateSystemDefaultDevice();
    if (device == nil) {
      *why = "no Metal device (MTLCreateSystemDefaultDevice returned nil)";
      return false;
    }
    NSError* error = nil;
    MTLCompileOptions* options = [MTLCompileOptions new];
    NSString* src = [NSString stringWithUTF8String:library_source().c_str()];
    id<MTLLibrary> library = [device newLibraryWithSource:src options:options error:&error];
    if (library == nil) {
      *why = std::string("the Metal kernels failed to compile: ") +
             (error ? [[error localizedDescription] UTF8String] : "unknown error");
      return false;
    }
    s.device = device;
    s.library = library;
    s.queue = [device newCommandQueue];
  }
  device_hooks::raw_malloc = buffer_malloc;
  device_hooks::raw_free = buffer_free;
  device_hooks::eval = eval_node;
  device_hooks::synchronize = synchronize;
  s.enabled = true;
  return true;
}

void set_enabled(bool enabled) {
  flush();
  state().enabled = enabled && state().device != nil;
}

std::string device_name() {
  State& s = state();
  return s.device == nil ? std::string() : std::string([[s.device name] UTF8String]);
}

}  // namespace mlx::metal

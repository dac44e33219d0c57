#include "ops/random.h"

#include <stdexcept>
#include <string>

#include "backend/cpu/random.h"
#include "ops.h"
#include "ops/indexing.h"
#include "ops/reduce.h"
#include "ops/sort.h"
#include "primitives/random.h"

namespace mlx::random {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// The global key, kept as two numbers (not an array) so that it holds no graph and no
// core array between calls.
KeyPair& global_key() {
  static KeyPair k{0, 0};  // key(0): the documented default seed
  return k;
}

KeyPair key_pair(uint64_t seed) { return {uint32_t(seed >> 32), uint32_t(seed & 0xffffffffu)}; }

array key_array(KeyPair k) { return array::from_vector(std::vector<uint32_t>{k.first, k.second}, {2}); }

array resolve(const Key& key) { return key ? *key : next_key(); }

void check_shape(const Shape& shape, const char* op) {
  for (auto d : shape)
    if (d < 0) fail(op, "Negative dimensions are not allowed.");
}

void check_float(Dtype t, const char* op, const char* what) {
  if (!is_floating(t)) fail(op, std::string("Can only generate ") + what + " with real floating point type.");
}

// The unit samples of `kind` for a float dtype, from fresh bits of `shape`.
array unit(RandomKind kind, const Shape& shape, Dtype dtype, const Key& key, std::vector<array> params = {}) {
  array b = bits(shape, sample_width(dtype), key);
  std::vector<array> ins{b};
  for (auto& p : params) ins.push_back(p);
  return array(shape, dtype, std::make_shared<RandomTransform>(kind, dtype), std::move(ins));
}

}  // namespace

void seed(uint64_t s) { global_key() = key_pair(s); }

array key(uint64_t seed) { return key_array(key_pair(seed)); }

array next_key() {
  // split(global, 2): row 0 becomes the global key, row 1 is returned (as MLX does).
  uint32_t w[4];
  random_stream(global_key(), reinterpret_cast<uint8_t*>(w), sizeof(w));
  global_key() = {w[0], w[1]};
  return key_array({w[2], w[3]});
}

array bits(const Shape& shape, int width, const Key& key_in) {
  check_shape(shape, "bits");
  if (width != 1 && width != 2 && width != 4 && width != 8) {
    fail("bits", "Bit width must be in {1, 2, 4, 8} but got " + std::to_string(width) + ".");
  }
  Dtype t = bits_dtype(width);
  array k = resolve(key_in);
  if (k.dtype() != Dtype::uint32) {
    fail("bits", std::string("Expected key type uint32 but received ") + dtype_name(k.dtype()) + ".");
  }
  if (k.shape() != Shape{2}) fail("bits", "Expected key shape (2) but received " + shape_string(k.shape()) + ".");
  return array(shape, t, std::make_shared<RandomBits>(shape, width), {k});
}

array split(const array& key, int num) {
  if (num < 0) fail("split", "The number of keys must be non-negative.");
  return bits({num, 2}, 4, key);
}

array uniform(const array& low, const array& high, const Shape& shape, Dtype dtype, const Key& key) {
  check_float(dtype, "uniform", "uniform numbers");
  check_shape(shape, "uniform");
  array lo = astype(low, dtype), hi = astype(high, dtype);
  Shape out = broadcast_shapes(shape, broadcast_shapes(lo.shape(), hi.shape(), "uniform"), "uniform");
  if (out != shape) {
    fail("uniform", "Cannot generate random values of shape " + shape_string(shape) + " from broadcasted shape " +
                        shape_string(out) + ".");
  }
  array u = unit(RandomKind::Uniform, shape, dtype, key);
  return add(multiply(u, subtract(hi, lo)), lo);
}

array normal(const Shape& shape, Dtype dtype, const std::optional<array>& loc, const std::optional<array>& scale,
             const Key& key) {
  check_float(dtype, "normal", "random normal numbers");
  check_shape(shape, "normal");
  Shape out = shape;
  if (loc) out = broadcast_shapes(out, loc->shape(), "normal");
  if (scale) out = broadcast_shapes(out, scale->shape(), "normal");
  if (out != shape) {
    fail("normal", "Cannot generate random values of shape " + shape_string(shape) + " from broadcasted shape " +
                       shape_string(out) + ".");
  }
  array z = unit(RandomKind::Normal, shape, dtype, key);
  if (scale) z = multiply(z, astype(*scale, dtype));
  if (loc) z = add(z, astype(*loc, dtype));
  return z;
}

array randint(const array& low, const array& high, const Shape& shape, Dtype dtype, const Key& key) {
  if (!is_integral(dtype) && !is_bool(dtype)) fail("randint", "randint only accepts integer dtypes and bool.");
  check_shape(shape, "randint");
  if (is_bool(dtype)) return astype(randint(low, high, shape, Dtype::int32, key), Dtype::bool_);
  Shape out = broadcast_shapes(shape, broadcast_shapes(low.shape(), high.shape(), "randint"), "randint");
  if (out != shape) {
    fail("randint", "Cannot generate random values of shape " + shape_string(shape) + " from broadcasted shape " +
                        shape_string(out) + ".");
  }
  int width = size_of(dtype) == 8 ? 8 : 4;
  array b = bits(shape, width, key);
  array lo = broadcast_to(astype(stop_gradient(low), dtype), shape);
  array hi = broadcast_to(astype(stop_gradient(high), dtype), shape);
  return array(shape, dtype, std::make_shared<RandomTransform>(RandomKind::RandInt, dtype), {b, lo, hi});
}

array bernoulli(const array& p, const std::optional<Shape>& shape_in, const Key& key) {
  if (!is_floating(p.dtype())) fail("bernoulli", "bernoulli probability `p` must be a float type.");
  Shape shape = shape_in ? *shape_in : p.shape();
  check_shape(shape, "bernoulli");
  Shape out = broadcast_shapes(shape, p.shape(), "bernoulli");
  if (out != shape) {
    fail("bernoulli", "Cannot generate random values of shape " + shape_string(shape) + " from broadcasted shape " +
                          shape_string(out) + ".");
  }
  array b = bits(shape, 4, key);
  return array(shape, Dtype::bool_, std::make_shared<RandomTransform>(RandomKind::Bernoulli, Dtype::bool_),
               {b, broadcast_to(stop_gradient(p), shape)});
}

array truncated_normal(const array& lower, const array& upper, const std::optional<Shape>& shape_in, Dtype dtype,
                       const Key& key) {
  check_float(dtype, "truncated_normal", "truncated normal numbers");
  Shape bshape = broadcast_shapes(lower.shape(), upper.shape(), "truncated_normal");
  Shape shape = shape_in ? *shape_in : bshape;
  check_shape(shape, "truncated_normal");
  Shape out = broadcast_shapes(shape, bshape, "truncated_normal");
  if (out != shape) {
    fail("truncated_normal", "Cannot generate random values of shape " + shape_string(shape) +
                                 " from broadcasted shape " + shape_string(out) + ".");
  }
  return unit(RandomKind::TruncatedNormal, shape, dtype, key,
              {broadcast_to(astype(lower, dtype), shape), broadcast_to(astype(upper, dtype), shape)});
}

array gumbel(const Shape& shape, Dtype dtype, const Key& key) {
  check_float(dtype, "gumbel", "gumbel numbers");
  check_shape(shape, "gumbel");
  return unit(RandomKind::Gumbel, shape, dtype, key);
}

array categorical(const array& logits_in, int axis, const std::optional<Shape>& shape_in,
                  std::optional<int> num_samples, const Key& key) {
  const char* op = "categorical";
  if (shape_in && num_samples) fail(op, "At most one of shape or num_samples can be specified.");
  int nd = logits_in.ndim();
  if (axis < -nd || axis >= nd) {
    fail(op, "Invalid axis " + std::to_string(axis) + " for logits with " + std::to_string(nd) + " dimensions.");
  }
  if (axis < 0) axis += nd;
  array logits = stop_gradient(logits_in);
  if (!is_floating(logits.dtype())) logits = astype(logits, Dtype::float32);
  if (num_samples) {
    if (*num_samples < 0) fail(op, "num_samples must be non-negative.");
    // A trailing axis of samples: logits gain a size-1 axis there.
    Shape s = logits.shape();
    s.push_back(1);
    logits = reshape(logits, s);
    nd += 1;
  }
  Shape reduced = logits.shape();
  reduced.erase(reduced.begin() + axis);
  Shape shape = reduced;
  if (num_samples) shape.back() = *num_samples;
  if (shape_in) shape = *shape_in;
  check_shape(shape, op);
  if (broadcast_shapes(shape, reduced, op) != shape) {
    fail(op, "Requested shape " + shape_string(shape) + " is not broadcast compatible with logits shape " +
                 shape_string(logits_in.shape()) + ".");
  }
  // The sampled axis sits at the same position from the end as in the logits.
  int from_end = nd - axis;  // >= 1
  Shape gshape = shape;
  gshape.insert(gshape.end() - (from_end - 1), logits.shape(axis));
  int gaxis = static_cast<int>(gshape.size()) - from_end;
  array g = gumbel(gshape, logits.dtype(), key);
  // argmax refuses zero-size arrays: no samples asked for is an empty result (the key is
  // still drawn from above, as for any other shape).
  size_t count = 1;
  for (auto d : shape) count *= size_t(d);
  if (count == 0) return zeros(shape, Dtype::uint32);
  return argmax(add(g, logits), gaxis);
}

array permutation(const array& x, int axis, const Key& key) {
  int nd = x.ndim();
  if (axis < -nd || axis >= nd) {
    fail("permutation", "Invalid axis " + std::to_string(axis) + " for array with " + std::to_string(nd) +
                            " dimensions.");
  }
  if (axis < 0) axis += nd;
  int n = x.shape(axis);
  array perm = argsort(bits({n}, 4, key), 0);
  return take(x, perm, axis);
}

array permutation(int n, const Key& key) {
  if (n < 0) fail("permutation", "The number of elements must be non-negative.");
  return permutation(arange(0, n, 1, Dtype::int32), 0, key);
}

}  // namespace mlx::random

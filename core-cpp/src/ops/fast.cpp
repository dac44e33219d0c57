#include "ops/fast.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "ops/compare.h"
#include "ops/reduce.h"
#include "ops/creation.h"
#include "ops/elementwise.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "primitives/fast.h"

namespace mlx::fast {

namespace {

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string("[") + op + "] " + msg);
}

// The dtype the references compute in: float32 for 16-bit floats, else the dtype itself.
Dtype compute_type(Dtype t) { return size_of(t) < 4 ? Dtype::float32 : t; }

int last(const array& x) { return x.ndim() - 1; }

void check_norm_input(const char* op, const array& x) {
  if (x.ndim() == 0) {
    fail(op, "Input must have at least 1 dimension but got input with 0 dimensions.");
  }
}

void check_norm_weight(const char* op, const array& x, const array& w, const char* what) {
  if (w.ndim() != 1) {
    fail(op, std::string(what) + " must have 1 dimension but has " + std::to_string(w.ndim()) + " dimensions.");
  }
  if (w.shape(0) != x.shape(-1)) {
    fail(op, std::string(what) + " must have the same size as the last dimension of x but has " +
                 std::to_string(w.shape(0)) + " elements.");
  }
}

// ---- the reference compositions (the primitives' fallbacks) ----------------------------
// Their inputs are the primitive's: x and the optional weight/bias, all in the result dtype.

array normalize(const array& xc, double eps) {
  // xc * rsqrt(mean(xc^2) + eps), eps typed like xc (a weak scalar in the TS reference).
  array ms = mean(square(xc), std::vector<int>{last(xc)}, true);
  return multiply(xc, rsqrt(add(ms, array::scalar(eps, xc.dtype()))));
}

std::vector<array> rms_norm_reference(const std::vector<array>& in, double eps, bool has_w) {
  Dtype t = in[0].dtype();
  array y = astype(normalize(astype(in[0], compute_type(t)), eps), t);
  return {has_w ? multiply(y, in[1]) : y};
}

std::vector<array> layer_norm_reference(const std::vector<array>& in, double eps, bool has_w, bool has_b) {
  Dtype t = in[0].dtype();
  array xf = astype(in[0], compute_type(t));
  array xc = subtract(xf, mean(xf, std::vector<int>{last(xf)}, true));
  array y = astype(normalize(xc, eps), t);
  if (has_w) y = multiply(y, in[1]);
  if (has_b) y = add(y, in[has_w ? 2 : 1]);
  return {y};
}

// x[..., start:stop:step]
array last_axis(const array& x, int start, int stop, int step = 1) {
  int n = x.ndim();
  std::vector<int32_t> lo(n, 0), hi(x.shape().begin(), x.shape().end()), st(n, 1);
  lo[n - 1] = start;
  hi[n - 1] = stop;
  st[n - 1] = step;
  return slice(x, lo, hi, st);
}

std::vector<array> rope_reference(const std::vector<array>& in, int dims, bool traditional, double base,
                                  double scale, int offset) {
  const array& x = in[0];
  int n = x.shape(-2), d = x.shape(-1), half = dims / 2;
  Dtype t = x.dtype() == Dtype::float64 ? Dtype::float64 : Dtype::float32;
  array positions = multiply(arange(offset, double(offset) + n, 1, t), array::scalar(scale, t));
  array inv_freqs = exp(multiply(arange(0, half, 1, t), array::scalar(-std::log(base) / half, t)));
  array theta = multiply(reshape(positions, {n, 1}), reshape(inv_freqs, {1, half}));
  array c = astype(cos(theta), x.dtype());
  array s = astype(sin(theta), x.dtype());
  array x1 = traditional ? last_axis(x, 0, dims, 2) : last_axis(x, 0, half);
  array x2 = traditional ? last_axis(x, 1, dims, 2) : last_axis(x, half, dims);
  array r1 = subtract(multiply(x1, c), multiply(x2, s));
  array r2 = add(multiply(x1, s), multiply(x2, c));
  std::vector<array> parts;
  if (traditional) {
    Shape shape = x.shape();
    shape.back() = dims;
    parts.push_back(reshape(stack({r1, r2}, x.ndim()), shape));
  } else {
    parts = {r1, r2};
  }
  if (dims < d) parts.push_back(last_axis(x, dims, d));
  return {parts.size() == 1 ? parts[0] : concatenate(parts, x.ndim() - 1)};
}


const char* kSdpa = "scaled_dot_product_attention";

std::string shape_tuple(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + ")";
}

// Inputs q, k, v (and the mask, broadcast to the scores' shape) as the primitive has them.
std::vector<array> sdpa_reference(const std::vector<array>& in, double scale, bool causal, bool has_mask) {
  const array &q = in[0], &k = in[1], &v = in[2];
  int b = q.shape(0), hq = q.shape(1), lq = q.shape(2), d = q.shape(3);
  int hkv = k.shape(1), lk = k.shape(2), dv = v.shape(3);
  int rep = hq / hkv;
  array qs = multiply(q, array::scalar(scale, q.dtype()));
  array ks = k, vs = v;
  if (rep > 1) {
    // Heads sharing a key/value head form one broadcast batch axis.
    qs = reshape(qs, {b, hkv, rep, lq, d});
    ks = expand_dims(k, {2});
    vs = expand_dims(v, {2});
  }
  array scores = matmul(qs, swapaxes(ks, ks.ndim() - 1, ks.ndim() - 2));
  array neg_inf = array::scalar(-std::numeric_limits<double>::infinity(), scores.dtype());
  if (causal) {
    array rows = reshape(arange(double(lk - lq), double(lk), 1, Dtype::float32), {lq, 1});
    array keep = greater_equal(rows, reshape(arange(0, lk, 1, Dtype::float32), {1, lk}));
    scores = where(keep, scores, neg_inf);
  }
  if (has_mask) {
    array m = rep > 1 ? reshape(in[3], {b, hkv, rep, lq, lk}) : in[3];
    scores = m.dtype() == Dtype::bool_ ? where(m, scores, neg_inf) : add(scores, m);
  }
  array probs = softmax(scores, std::vector<int>{scores.ndim() - 1}, true);
  array out = matmul(probs, vs);
  return {rep > 1 ? reshape(out, {b, hq, lq, dv}) : out};
}
}  // namespace

array rms_norm(const array& x, const std::optional<array>& weight, double eps) {
  const char* op = "rms_norm";
  check_norm_input(op, x);
  if (weight) check_norm_weight(op, x, *weight, "weight");
  Dtype t = weight ? promote_types(x.dtype(), weight->dtype()) : x.dtype();
  if (!is_floating(t)) fail(op, std::string("Received unsupported type ") + dtype_name(t) + ".");
  bool has_w = weight.has_value();
  std::vector<array> in{astype(x, t)};
  if (has_w) in.push_back(astype(*weight, t));
  Function fallback = [eps, has_w](const std::vector<array>& a) { return rms_norm_reference(a, eps, has_w); };
  return array(x.shape(), t, std::make_shared<RMSNorm>(fallback, eps, has_w), in);
}

array layer_norm(const array& x, const std::optional<array>& weight, const std::optional<array>& bias, double eps) {
  const char* op = "layer_norm";
  check_norm_input(op, x);
  if (weight) check_norm_weight(op, x, *weight, "weight");
  if (bias) check_norm_weight(op, x, *bias, "bias");
  Dtype t = x.dtype();
  if (weight) t = promote_types(t, weight->dtype());
  if (bias) t = promote_types(t, bias->dtype());
  if (!is_floating(t)) fail(op, std::string("Received unsupported type ") + dtype_name(t) + ".");
  bool has_w = weight.has_value(), has_b = bias.has_value();
  std::vector<array> in{astype(x, t)};
  if (has_w) in.push_back(astype(*weight, t));
  if (has_b) in.push_back(astype(*bias, t));
  Function fallback = [eps, has_w, has_b](const std::vector<array>& a) {
    return layer_norm_reference(a, eps, has_w, has_b);
  };
  return array(x.shape(), t, std::make_shared<LayerNorm>(fallback, eps, has_w, has_b), in);
}

array rope(const array& x, int dims, bool traditional, double base, double scale, int offset) {
  const char* op = "rope";
  if (x.ndim() < 3) {
    fail(op, "Input must have at least 3 dimensions but got input with " + std::to_string(x.ndim()) +
                 " dimensions.");
  }
  if (!is_floating(x.dtype())) fail(op, std::string("Input must be a floating type but got ") + dtype_name(x.dtype()) + ".");
  int d = x.shape(-1);
  if (dims <= 0 || dims % 2 != 0 || dims > d) {
    fail(op, "dims must be a positive even number no larger than the last dimension (" + std::to_string(d) +
                 ") but got " + std::to_string(dims) + ".");
  }
  Function fallback = [dims, traditional, base, scale, offset](const std::vector<array>& a) {
    return rope_reference(a, dims, traditional, base, scale, offset);
  };
  return array(x.shape(), x.dtype(), std::make_shared<RoPE>(fallback, dims, traditional, base, scale, offset), {x});
}

array scaled_dot_product_attention(const array& q, const array& k, const array& v, std::optional<double> scale,
                                   const std::optional<array>& mask, bool causal) {
  for (const array* a : {&q, &k, &v}) {
    if (a->ndim() != 4) fail(kSdpa, "input with shape " + shape_tuple(a->shape()) + " expected to be rank 4");
  }
  int b = q.shape(0), hq = q.shape(1), lq = q.shape(2), d = q.shape(3);
  int hkv = k.shape(1), lk = k.shape(2);
  if (k.shape(0) != b || v.shape(0) != b) fail(kSdpa, "mismatching batch dimension for queries, keys and values.");
  if (k.shape(3) != d) {
    fail(kSdpa, "query, keys expected to have matching last dimension; found query shape " + shape_tuple(q.shape()) +
                    " for keys shape " + shape_tuple(k.shape()) + ".");
  }
  if (v.shape(1) != hkv || v.shape(2) != lk) {
    fail(kSdpa, "keys and values must have the same number of heads and sequence length; found keys shape " +
                    shape_tuple(k.shape()) + " and values shape " + shape_tuple(v.shape()) + ".");
  }
  if (hkv == 0 || hq % hkv != 0) {
    fail(kSdpa, "number of heads in query (" + std::to_string(hq) +
                    ") must be divisible by number of heads in keys / values (" + std::to_string(hkv) + ").");
  }
  if (mask && causal) fail(kSdpa, "Received both a mask array and a causal mask.");
  Shape scores{b, hq, lq, lk};
  bool bool_mask = mask && mask->dtype() == Dtype::bool_;
  auto broadcastable = [&scores](const Shape& m) {
    if (m.size() > scores.size()) return false;
    size_t off = scores.size() - m.size();
    for (size_t i = 0; i < m.size(); ++i) {
      if (m[i] != 1 && m[i] != scores[off + i]) return false;
    }
    return true;
  };
  if (mask && !broadcastable(mask->shape())) {
    fail(kSdpa, "mask with shape " + shape_tuple(mask->shape()) + " cannot be broadcast to the scores' shape " +
                    shape_tuple(scores) + ".");
  }
  // The composition's dtype: q, k and v promoted, with an additive mask too; integers
  // meet the float scale first.
  Dtype t = promote_types(promote_types(q.dtype(), k.dtype()), v.dtype());
  if (mask && !bool_mask) t = promote_types(t, mask->dtype());
  if (!is_floating(t)) t = Dtype::float32;
  double s = scale ? *scale : 1.0 / std::sqrt(double(d));
  std::vector<array> in{astype(q, t), astype(k, t), astype(v, t)};
  if (mask) in.push_back(broadcast_to(bool_mask ? *mask : astype(*mask, t), scores));
  bool has_mask = mask.has_value();
  Function fallback = [s, causal, has_mask](const std::vector<array>& a) {
    return sdpa_reference(a, s, causal, has_mask);
  };
  Shape out_shape{b, hq, lq, v.shape(3)};
  return array(out_shape, t, std::make_shared<ScaledDotProductAttention>(fallback, s, causal, has_mask), in);
}

}  // namespace mlx::fast

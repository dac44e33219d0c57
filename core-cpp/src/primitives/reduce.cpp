#include "primitives/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "backend/cpu/arg_reduce.h"
#include "backend/cpu/logsumexp.h"
#include "backend/cpu/softmax.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "transforms/vmap.h"

namespace mlx {

namespace {

// Moves `axis` to the end (a view), so line-wise helpers can work on the last axis.
std::vector<int> axis_last_perm(int ndim, int axis) {
  std::vector<int> perm;
  for (int i = 0; i < ndim; ++i)
    if (i != axis) perm.push_back(i);
  perm.push_back(axis);
  return perm;
}
std::vector<int> inverse_perm(const std::vector<int>& perm) {
  std::vector<int> inv(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inv[perm[i]] = static_cast<int>(i);
  return inv;
}

// For each element, the product of the other elements reduced with it (over `axes`):
// exclusive cumprods from both ends, so zeros need no division.
array product_of_others(const array& x, const std::vector<int>& axes) {
  std::vector<int> perm;
  Shape lead;
  for (int i = 0; i < x.ndim(); ++i) {
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) {
      perm.push_back(i);
      lead.push_back(x.shape(i));
    }
  }
  int32_t n = 1;
  for (int ax : axes) {
    perm.push_back(ax);
    n *= x.shape(ax);
  }
  array xt = transpose(x, perm);
  Shape flat = lead;
  flat.push_back(n);
  array f = reshape(xt, flat);
  int last = static_cast<int>(flat.size()) - 1;
  array others = multiply(cumprod(f, last, false, false), cumprod(f, last, true, false));
  return transpose(reshape(others, xt.shape()), inverse_perm(perm));
}

// The share of the output each input element receives in max/min: 1/count where it
// equals the extremum (ties split evenly, as in MLX), else 0.
array extremum_weights(const std::vector<int>& axes, const array& x, const array& out, Dtype t) {
  array mask = astype(equal(x, out), t);
  return divide(mask, sum(mask, axes, true));
}

}  // namespace

array reduce_vjp(ReduceType type, const std::vector<int>& axes, const array& x, const array& cot, const array& out) {
  switch (type) {
    case ReduceType::Sum:
      return broadcast_to(cot, x.shape());
    case ReduceType::Max:
    case ReduceType::Min:
      return multiply(cot, extremum_weights(axes, x, out, cot.dtype()));
    case ReduceType::Prod:
      return multiply(cot, product_of_others(x, axes));
    case ReduceType::And:
    case ReduceType::Or:
      break;
  }
  return zeros_like(x);
}

array reduce_jvp(ReduceType type, const std::vector<int>& axes, const array& x, const array& tan) {
  switch (type) {
    case ReduceType::Sum:
      return sum(tan, axes, true);
    case ReduceType::Max:
    case ReduceType::Min: {
      array out = type == ReduceType::Max ? max(x, axes, true) : min(x, axes, true);
      return sum(multiply(tan, extremum_weights(axes, x, out, tan.dtype())), axes, true);
    }
    case ReduceType::Prod:
      return sum(multiply(tan, product_of_others(x, axes)), axes, true);
    case ReduceType::And:
    case ReduceType::Or:
      break;
  }
  Shape kept = x.shape();
  for (int ax : axes) kept[ax] = 1;
  return zeros(kept, Dtype::bool_);
}

// ---- arg reductions ------------------------------------------------------------------

void ArgReduce::eval(const std::vector<array>& in, array& out) { arg_reduce_eval(in[0], out, axis_, is_max_); }
// Integer outputs: no gradient flows back, and the tangent is zero.
std::vector<array> ArgReduce::vjp(const std::vector<array>& primals, const std::vector<array>&,
                                  const std::vector<int>&, const std::vector<array>&) {
  return {zeros_like(primals[0])};
}
std::vector<array> ArgReduce::jvp(const std::vector<array>& primals, const std::vector<array>&,
                                  const std::vector<int>&) {
  Shape s = primals[0].shape();
  s[axis_] = 1;
  return {zeros(s, Dtype::uint32)};
}

// ---- scans ----------------------------------------------------------------------------

void Scan::eval(const std::vector<array>& in, array& out) {
  scan_eval(in[0], out, axis_, type_, reverse_, inclusive_);
}

namespace {

// cummax/cummin: output i copies the input at the last "record" at or before it (the
// element that set the running extremum). Records j are where x equals the inclusive
// scan; seg numbers them along the scan, and `route[..., j, i]` is 1 when output i copies
// record j. Builds an n x n matrix per line: fine for the lengths gradients are taken of.
array extremum_scan_routes(const array& x, int axis, ScanType type, bool reverse, bool inclusive) {
  int nd = x.ndim();
  auto perm = axis_last_perm(nd, axis);
  array xt = transpose(x, perm);
  array inc = type == ScanType::Max ? cummax(xt, nd - 1, reverse, true) : cummin(xt, nd - 1, reverse, true);
  array mask = astype(equal(xt, inc), Dtype::int32);
  array seg_in = cumsum(mask, nd - 1, reverse, true);
  array seg_out = inclusive ? seg_in : cumsum(mask, nd - 1, reverse, false);
  Shape col = xt.shape(), row = xt.shape();
  col.push_back(1);
  row.insert(row.end() - 1, 1);
  // Record j (seg_in[j], only where mask[j]) feeds output i when seg_out[i] == seg_in[j].
  array seg_rec = where(mask, seg_in, array::scalar(-1, Dtype::int32));
  return astype(equal(reshape(seg_rec, col), reshape(seg_out, row)), x.dtype());
}

// cumprod's derivatives without dividing by zero. Along the scan, let z be the first zero
// of x. Elements before z: d y_i / d x_j = y_i / x_j (outputs past z are 0 and stay 0).
// At z: the products of the others are the cumprod of x with x_z replaced by 1 (y1).
// After z: every product of the others still holds x_z, so the derivative is 0.
struct CumprodParts {
  array before;  // j < z (as x's dtype: 1 or 0)
  array at;      // j == z
  array x_safe;  // x with 1 wherever it is not used as a divisor
  array y1;      // cumprod with the first zero replaced by 1
};
// log of the positive part and log of the negative part of v (log 0 = -inf where absent).
std::pair<array, array> log_signed_parts(const array& v) {
  array zero = zeros_like(v);
  return {log(where(greater(v, zero), v, zero)), log(where(less(v, zero), negative(v), zero))};
}

CumprodParts cumprod_parts(const array& x, int axis, bool reverse, bool inclusive) {
  array zero = array::scalar(0, x.dtype()), one = array::scalar(1, x.dtype());
  array is_zero = astype(equal(x, zero), Dtype::int32);
  array zeros_upto = cumsum(is_zero, axis, reverse, true);
  array before = equal(zeros_upto, array::scalar(0, Dtype::int32));
  array at = multiply(equal(zeros_upto, array::scalar(1, Dtype::int32)), astype(is_zero, Dtype::bool_));
  return {astype(before, x.dtype()), astype(at, x.dtype()), where(before, x, one),
          cumprod(where(at, one, x), axis, reverse, inclusive)};
}

}  // namespace

std::vector<array> Scan::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                             const std::vector<int>&, const std::vector<array>& outputs) {
  const array& x = primals[0];
  const array& c = cot[0];
  const array& y = outputs[0];
  switch (type_) {
    case ScanType::Sum:
      return {cumsum(c, axis_, !reverse_, inclusive_)};
    case ScanType::Prod: {
      auto p = cumprod_parts(x, axis_, reverse_, inclusive_);
      array g_before = divide(cumsum(multiply(c, y), axis_, !reverse_, inclusive_), p.x_safe);
      array g_at = cumsum(multiply(c, p.y1), axis_, !reverse_, inclusive_);
      return {add(multiply(p.before, g_before), multiply(p.at, g_at))};
    }
    case ScanType::LogAddExp: {
      // d y_i / d x_j = exp(x_j - y_i) for j folded into i, so the cotangent of x_j is
      // exp(x_j + log sum_i c_i exp(-y_i)) over the outputs that fold j: a logcumsumexp
      // the other way, on the positive and negative parts of c (no exp overflows).
      array neg_inf = array::scalar(-std::numeric_limits<double>::infinity(), y.dtype());
      array empty = equal(y, neg_inf);  // outputs that fold nothing (constants)
      auto part = [&](const array& log_c) {
        array terms = where(empty, neg_inf, subtract(log_c, y));
        return exp(add(x, logcumsumexp(terms, axis_, !reverse_, inclusive_)));
      };
      auto [log_pos, log_neg] = log_signed_parts(c);
      return {subtract(part(log_pos), part(log_neg))};
    }
    case ScanType::Max:
    case ScanType::Min: {
      int nd = x.ndim();
      auto perm = axis_last_perm(nd, axis_);
      array routes = extremum_scan_routes(x, axis_, type_, reverse_, inclusive_);
      Shape row = transpose(c, perm).shape();
      row.insert(row.end() - 1, 1);
      array ct = reshape(transpose(c, perm), row);
      return {transpose(sum(multiply(routes, ct), std::vector<int>{nd}), inverse_perm(perm))};
    }
  }
  return {zeros_like(x)};
}

std::vector<array> Scan::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                             const std::vector<int>&) {
  const array& x = primals[0];
  const array& t = tan[0];
  switch (type_) {
    case ScanType::Sum:
      return {cumsum(t, axis_, reverse_, inclusive_)};
    case ScanType::Prod: {
      auto p = cumprod_parts(x, axis_, reverse_, inclusive_);
      array y = cumprod(x, axis_, reverse_, inclusive_);
      array d_before = multiply(y, cumsum(multiply(p.before, divide(t, p.x_safe)), axis_, reverse_, inclusive_));
      array d_at = multiply(p.y1, cumsum(multiply(p.at, t), axis_, reverse_, inclusive_));
      return {add(d_before, d_at)};
    }
    case ScanType::LogAddExp: {
      // d y_i = sum_j t_j exp(x_j - y_i) over the j folded into i, as logcumsumexps of the
      // positive and negative parts of t shifted by x.
      array y = logcumsumexp(x, axis_, reverse_, inclusive_);
      auto part = [&](const array& log_t) {
        return exp(subtract(logcumsumexp(add(log_t, x), axis_, reverse_, inclusive_), y));
      };
      auto [log_pos, log_neg] = log_signed_parts(t);
      array d = subtract(part(log_pos), part(log_neg));
      // An empty fold (an exclusive scan's first output) is the constant -inf: tangent 0,
      // not exp(inf) * 0.
      array neg_inf = array::scalar(-std::numeric_limits<double>::infinity(), y.dtype());
      return {where(equal(y, neg_inf), zeros_like(d), d)};
    }
    case ScanType::Max:
    case ScanType::Min: {
      int nd = x.ndim();
      auto perm = axis_last_perm(nd, axis_);
      array routes = extremum_scan_routes(x, axis_, type_, reverse_, inclusive_);
      Shape col = transpose(t, perm).shape();
      col.push_back(1);
      array tt = reshape(transpose(t, perm), col);
      return {transpose(sum(multiply(routes, tt), std::vector<int>{nd - 1}), inverse_perm(perm))};
    }
  }
  return {zeros_like(x)};
}

// ---- vmap rules ------------------------------------------------------------------------------
// The batch axis stays where it is; the reduced or scanned axis moves up by one when the
// batch axis is at or before it.

std::pair<std::vector<array>, std::vector<int>> ArgReduce::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  const array& x = in[0];
  int ax = axis_ >= axes[0] ? axis_ + 1 : axis_;
  Shape s = x.shape();
  s[ax] = 1;
  return {{array(std::move(s), Dtype::uint32, std::make_shared<ArgReduce>(is_max_, ax), {x})}, {axes[0]}};
}

std::vector<Shape> ArgReduce::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  s[axis_] = 1;
  return {s};
}

std::pair<std::vector<array>, std::vector<int>> Scan::vmap(const std::vector<array>& in,
                                                           const std::vector<int>& axes) {
  const array& x = in[0];
  int ax = axis_ >= axes[0] ? axis_ + 1 : axis_;
  auto p = std::make_shared<Scan>(type_, ax, reverse_, inclusive_);
  return {{array(x.shape(), x.dtype(), std::move(p), {x})}, {axes[0]}};
}

// ---- Reduce ---------------------------------------------------------------------------

using VmapResult = std::pair<std::vector<array>, std::vector<int>>;

void Reduce::eval(const std::vector<array>& in, array& out) { reduce_eval(in[0], out, axes_, type_); }
// The rules of every reduction type are reduce_vjp / reduce_jvp above.
std::vector<array> Reduce::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                               const std::vector<int>&, const std::vector<array>& outputs) {
  return {reduce_vjp(type_, axes_, primals[0], cot[0], outputs[0])};
}
std::vector<array> Reduce::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                               const std::vector<int>&) {
  return {reduce_jvp(type_, axes_, primals[0], tan[0])};
}
VmapResult Reduce::vmap(const std::vector<array>& in, const std::vector<int>& axes) {
  int ax = axes[0];
  std::vector<int> shifted;
  for (int a : axes_) shifted.push_back(a >= ax ? a + 1 : a);
  Shape kept = in[0].shape();
  for (int a : shifted) kept[a] = 1;
  Dtype t = in[0].dtype();
  return {{array(kept, t, std::make_shared<Reduce>(type_, shifted), {in[0]})}, {ax}};
}
std::vector<Shape> Reduce::output_shapes(const std::vector<array>& in) {
  Shape s = in[0].shape();
  for (int ax : axes_) s[ax] = 1;
  return {s};
}

// ---- Softmax and LogSumExp -------------------------------------------------------------

array softmax_last_axis(const array& x) { return array(x.shape(), x.dtype(), std::make_shared<Softmax>(), {x}); }

void Softmax::eval(const std::vector<array>& in, array& out) { softmax_eval(in[0], out); }

namespace {
// y * (v - sum(v * y, last axis)): the Jacobian of softmax applied to v (it is symmetric).
array softmax_jacobian_product(const array& y, const array& v) {
  return multiply(y, subtract(v, sum(multiply(v, y), std::vector<int>{y.ndim() - 1}, true)));
}
}  // namespace

std::vector<array> Softmax::vjp(const std::vector<array>&, const std::vector<array>& cot, const std::vector<int>&,
                                const std::vector<array>& outputs) {
  return {softmax_jacobian_product(outputs[0], cot[0])};
}

std::vector<array> Softmax::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                const std::vector<int>&) {
  return {softmax_jacobian_product(softmax_last_axis(primals[0]), tan[0])};
}

std::pair<std::vector<array>, std::vector<int>> Softmax::vmap(const std::vector<array>& in,
                                                              const std::vector<int>& axes) {
  // The batch axis must not be the last one: move it to the front.
  return {{softmax_last_axis(vmap_util::move_axis(in[0], axes[0], 0))}, {0}};
}

// ---- LogSumExp -------------------------------------------------------------------------

namespace {
Shape kept_last(Shape s) {
  s.back() = 1;
  return s;
}

// The reference: shifting by the (constant) maximum keeps exp in range; an infinite or NaN
// maximum is the answer itself (x - max would be NaN there).
std::vector<array> logsumexp_reference(const std::vector<array>& in) {
  const array& x = in[0];
  std::vector<int> ax{x.ndim() - 1};
  array m = stop_gradient(max(x, ax, true));
  array out = add(log(sum(exp(subtract(x, m)), ax, true)), m);
  return {where(isfinite(m), out, m)};
}
}  // namespace

LogSumExp::LogSumExp() : FastPrimitive(logsumexp_reference) {}

array logsumexp_last_axis(const array& x) {
  return array(kept_last(x.shape()), x.dtype(), std::make_shared<LogSumExp>(), {x});
}

void LogSumExp::eval_cpu(const std::vector<array>& in, std::vector<array>& out) { logsumexp_eval(in[0], out[0]); }

std::pair<std::vector<array>, std::vector<int>> LogSumExp::vmap(const std::vector<array>& in,
                                                                const std::vector<int>& axes) {
  return vmap_leading(in, axes, std::make_shared<LogSumExp>());
}

std::vector<Shape> LogSumExp::output_shapes(const std::vector<array>& inputs) {
  return {kept_last(inputs[0].shape())};
}

}  // namespace mlx
